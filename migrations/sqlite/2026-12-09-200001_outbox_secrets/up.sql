-- Every message goes through the outbox, account emails included (issue 14). Their personal link is a
-- secret part: the body keeps "[lien personnel masqué]" where it goes, and the link itself is sealed
-- under a key derived from the master key, bound to the row, opened only at sending time and wiped
-- once sent, so that no admin reading the outbox can log in as someone else.
ALTER TABLE outbox ADD COLUMN secret BLOB;
