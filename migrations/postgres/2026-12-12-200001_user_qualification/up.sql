-- The consultants' titles and qualifications (issue 12; L6353-8 and R6313-8): the pre-contract
-- information must give "les titres et qualités des personnels" who deliver the action, and the
-- conventions and the contract print the means and qualification of the staff. One free text per
-- consultant ("Psychologue du travail, titre RNCP « Conseiller en bilan de compétences »…"), 300
-- characters at most (checked by the API); null for the other roles and until the consultant gives it.
ALTER TABLE users ADD COLUMN qualification TEXT;
