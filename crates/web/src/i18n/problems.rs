//! The interface's own words for the API's problems, by slug (the end of a problem's `type`, see
//! `boussole_shared::Slug`). The API writes its `detail` in French; in English the app shows these
//! instead (`crate::api::ApiError::message`). French keeps the API's detail, which is more specific
//! (it may name a date, a number…), so its messages are empty. Like every table they are data in
//! `fr.json`/`en.json` (a list of slug and message pairs at the end of `Common`), not code: the app
//! compiles no slug and no message, only a search through the pairs.

use boussole_shared::Slug;

/// One slug and its message per slug the API sends.
pub type Problems = [[&'static str; 2]; Slug::ALL.len()];

/// A line per slug; one missing (or one too many) does not compile, since the array's length is the
/// number of slugs; the test below checks that each slug has exactly one line.
macro_rules! problems {
    ($($slug:ident: $en:expr;)*) => {
        #[cfg(not(target_arch = "wasm32"))]
        pub const PROBLEMS_EN: Problems = [$([Slug::$slug.as_str(), $en],)*];
    };
}

/// French shows the API's own detail.
#[cfg(not(target_arch = "wasm32"))]
pub const PROBLEMS_FR: Problems = [["", ""]; Slug::ALL.len()];

problems! {
    BAD_REQUEST: "The request could not be read.";
    VALIDATION: "One or more fields are invalid.";
    NOT_FOUND: "Not found, or not yours.";
    PAYLOAD_TOO_LARGE: "What you sent is too large.";
    UNSUPPORTED_MEDIA_TYPE: "What you sent is not in a format the server accepts.";
    TOO_MANY_REQUESTS: "Too many attempts: try again later.";
    INTERNAL: "Something went wrong on our side; it has been logged.";
    UNAVAILABLE: "The service is unavailable: try again in a moment.";
    MISSING_TOKEN: "Please sign in.";
    INVALID_TOKEN: "Your session is not valid: please sign in again.";
    TOKEN_EXPIRED: "Your session has expired: please sign in again.";
    SESSION_ENDED: "This session has ended: please sign in again.";
    INVALID_CREDENTIALS: "Wrong email or password.";
    INVALID_CODE: "Wrong code.";
    INVALID_API_KEY: "This API key is not valid.";
    EXPIRED_API_KEY: "This API key has expired.";
    REFRESH_REUSED: "This session was used elsewhere and has been closed: please sign in again.";
    WRONG_ROLE: "Your role does not allow this.";
    API_KEY_NOT_ALLOWED: "An API key cannot do this.";
    MISSING_SCOPE: "This API key lacks the scope for this.";
    TOTP_ENROLMENT_REQUIRED: "Set up two-factor authentication first.";
    ACCOUNT_DISABLED: "This account is disabled.";
    EMAIL_NOT_VERIFIED: "Confirm your email address first: follow the link we sent you.";
    BILAN_CONTENT: "The content of a bilan is for the beneficiary and their consultants only.";
    NOT_YOUR_CONSULTANT: "This person is not your consultant.";
    NOT_A_PARTY: "You are not part of this appointment.";
    NOT_YOUR_CALENDAR: "This is not your calendar.";
    CONSULTANT_ONLY: "Only the consultant records an absence.";
    METRICS_LOCAL_ONLY: "The metrics are served only to the machine itself (or with its token).";
    AMOUNTS_HIDDEN: "The funding amounts are not shown to consultants.";
    NOT_A_BENEFICIARY: "A resource is shared with active beneficiary accounts only.";
    NOT_YOUR_BENEFICIARY: "You share a resource only with the beneficiaries of the bilans you follow.";
    NOT_RESOURCE_CREATOR: "Only the consultant who added this resource, or an admin, can change it.";
    NOT_A_COLLEAGUE: "A direct thread is held with another active team member (admin or consultant).";
    NOT_AUTHOR: "Only the author of a message can change or withdraw it.";
    INVOICE_IMMUTABLE: "An issued invoice never changes: correct it with a credit note.";
    QUOTE_IMMUTABLE: "A sent quote never changes.";
    CONFLICT: "This record already exists.";
    ALREADY_EXISTS: "This record already exists.";
    EMAIL_TAKEN: "An account already exists with this email address.";
    IDEMPOTENCY_KEY_IN_USE: "The same request is still running: try again in a moment.";
    TOTP_ALREADY_ENABLED: "Two-factor authentication is already on.";
    TOTP_NOT_ENABLED: "Two-factor authentication is not on.";
    SLOT_TAKEN: "This slot has just been taken: choose another one.";
    BENEFICIARY_BUSY: "The beneficiary already has an appointment at that time.";
    APPOINTMENT_NOT_UPCOMING: "This appointment is no longer upcoming.";
    ATTENDANCE_NOT_EXPECTED: "This appointment no longer awaits a signature.";
    ATTENDANCE_ALREADY_SIGNED: "You have already signed the attendance sheet.";
    BILAN_TRANSITION_NOT_ALLOWED: "The bilan cannot move to this step from its current one.";
    CPF_FILE_TAKEN: "This EDOF file is already linked to another bilan.";
    CPF_FILE_CHANGED: "The file changed in the meantime: reload it.";
    QUOTE_ALREADY_ANSWERED: "This quote has already been answered.";
    QUOTE_ALREADY_INVOICED: "This quote has already been invoiced.";
    ASSESSMENT_ALREADY_ASSIGNED: "This questionnaire is already offered on this bilan and not yet sent.";
    ASSESSMENT_SUBMITTED: "This questionnaire has been sent: its answers no longer change.";
    ASSESSMENT_NOT_SUBMITTED: "This questionnaire has not been sent yet: no results so far.";
    INSTRUMENT_ID_RESERVED: "This id belongs to a questionnaire that comes with Boussole.";
    EXPERIENCE_HAS_SKILLS: "Skills are linked to this experience: change them first.";
    SYNTHESIS_CHANGED: "The synthèse was changed in the meantime: reload it before saving.";
    SYNTHESIS_ISSUED: "The synthèse has been issued: it can no longer be changed.";
    SYNTHESIS_NOT_SUBMITTED: "Only the submitted version can be approved.";
    SYNTHESIS_ALREADY_APPROVED: "The beneficiary has already approved this version.";
    SYNTHESIS_NOT_APPROVED: "The synthèse is issued only once the beneficiary has approved it, in the approved version.";
    SIGNATURE_ALREADY_REQUESTED: "A signature of this document is already under way.";
    TEMPLATE_CHANGED: "The template changed in the meantime: reload it.";
    RESOURCE_ARCHIVED: "This resource is archived: it can no longer be shared.";
    WEBHOOK_DISABLED: "This endpoint is disabled: enable it to replay the delivery.";
    OUTBOX_NOT_FAILED: "Only a message that failed can be sent again.";
    SHARE_CODE_EXPIRED: "This code has expired: ask for a new one.";
    SHARE_CODE_INVALID: "This code is wrong.";
    SHARE_LINK_LOCKED: "Too many wrong codes: this link is locked. Ask for a new sending.";
    SHARE_LINK_USED: "This link has already been used: the document was downloaded.";
    SHARE_LINK_CANCELLED: "This document is no longer available.";
    SHARE_LINK_EXPIRED: "This link has expired.";
    SIGNATURE_CODE_EXPIRED: "This code has expired: ask for a new one.";
    SIGNATURE_CODE_INVALID: "This code is wrong.";
    SIGNATURE_LINK_USED: "This link has already been used: the document is signed.";
    SIGNATURE_REQUEST_CLOSED: "This signature request is over (cancelled, expired or declined).";
    MESSAGE_WITHDRAWN: "This message has been withdrawn.";
    BUSINESS_RULE: "This request breaks a rule of the record.";
    IMPORT_INVALID: "The file has errors: nothing was imported.";
    IMPORT_TOO_MANY_LINES: "The file has too many lines: split it.";
    IDEMPOTENCY_KEY_REUSED: "This idempotency key was used for another request.";
    TOTP_REQUIRED: "Your organisation requires two-factor authentication for your role.";
    CANNOT_DISABLE_SELF: "You cannot disable your own account.";
    QUALIFICATIONS_FOR_CONSULTANTS: "Only consultants have titles and qualifications.";
    SMS_NEEDS_MOBILE: "Text messages need your consent to texts and a mobile number (06 or 07) in your profile.";
    BILAN_NOT_RUNNING: "The bilan is not under way.";
    BILAN_CONTENT_DESTROYED: "The content of this bilan has been destroyed (R6313-7).";
    BILAN_CONDITIONS_MISSING: "Some conditions for this step are missing.";
    MINIMUM_HOURS: "The bilan cannot end: fewer hours of accompaniment were held than the organisation requires.";
    MAXIMUM_HOURS: "The accompaniment would go over 24 hours.";
    APPOINTMENT_KIND_MISMATCH: "This kind of appointment does not fit the bilan’s step.";
    APPOINTMENT_KIND_NOT_OFFERED: "Your consultant does not offer this kind of appointment online.";
    SLOT_NOT_OFFERED: "Your consultant does not offer this slot.";
    SLOT_IN_PAST: "This slot is in the past.";
    APPOINTMENT_CHANGE_TOO_LATE: "Too late to change this appointment: let your consultant know.";
    ATTENDANCE_WINDOW_CLOSED: "Attendance can be signed from 15 minutes before the start to 2 hours after the end.";
    ABSENCE_TOO_EARLY: "An absence is recorded only after the appointment’s time.";
    VIDEO_ROOM_CLOSED: "The room is open only from 30 minutes before the start to 2 hours after the end.";
    ANSWERS_MISSING: "Some required questions have no answer.";
    INVALID_ANSWER: "An answer is not valid.";
    UNKNOWN_ROME_CODE: "A code is not in ROME 4.0.";
    NOT_CPF_FUNDED: "This bilan is not funded by the CPF: it has no EDOF file.";
    CPF_TRANSITION_NOT_ALLOWED: "The EDOF file cannot move to this state from its current one.";
    ATTACHMENT_OUTSIDE_BILAN: "An attachment is a document of a bilan: a direct thread takes none.";
    NOT_A_FILE: "This resource is a link: it takes no file.";
    EDIT_WINDOW_CLOSED: "A message can be changed or withdrawn only in the minutes after it was sent.";
    DOCUMENT_DATA_MISSING: "Some of the organisation’s data the document needs are missing.";
    DOCUMENT_NOT_SIGNABLE: "This document cannot be signed.";
    DOCUMENT_SUPERSEDED: "A newer version of this document exists: have that one signed.";
    SIGNATURE_NOT_YOUR_TURN: "An earlier signer has not signed yet: you will get a new link when it is your turn.";
    REGLEMENT_INTERIEUR_NOT_ISSUED: "The internal rules have not been issued yet.";
    TEMPLATE_INVALID: "The template is not saved: some sections or merge fields are unknown, or braces are not closed.";
    RETENTION_OUT_OF_BOUNDS: "This period is outside the bounds the law sets.";
    SYNTHESIS_INCOMPLETE: "Every section of the synthèse must be written before submitting it.";
    SYNTHESIS_NOT_ISSUED: "The synthèse is sent only once issued.";
    SHARE_CONSENT_MISSING: "The beneficiary has not agreed to sharing with this recipient.";
    SHARE_CONSENT_REVOKED: "The beneficiary has withdrawn their sharing agreement.";
    SHARE_CONSENT_SCOPE: "This sharing agreement does not cover the synthèse.";
    SENDING_CLOSED: "This sending is already over.";
    SIRET_MISSING: "The organisation’s SIRET is needed to name the FEC.";
    FUNDING_INVOICED: "This funding line is already invoiced: its payer no longer changes and its amount cannot go lower.";
    FUNDING_NOT_AGREED: "This funding line has not been agreed: it cannot be invoiced yet.";
    FUNDING_EXCEEDED: "The invoice exceeds what is left to invoice on this funding line.";
    ADVANCE_OVER_30_PERCENT: "At most 30 % of the price can be invoiced before the end of the action.";
    WITHDRAWAL_PERIOD: "Nothing can be invoiced to the beneficiary before the contract is signed and the 10-day withdrawal period is over.";
    PAYER_NOT_BENEFICIARY: "The payer is not the beneficiary.";
    VAT_MENTION_UNKNOWN: "The VAT exemption wording for this date is not known.";
    NOT_AN_INVOICE: "This applies to an invoice, not to a credit note.";
    INVOICE_CREDITED: "This invoice is fully cancelled by credit notes.";
    CREDIT_NOTE_EXCEEDS_INVOICE: "The credit note would exceed the invoice.";
    PAYMENT_EXCEEDS_BALANCE: "The payment exceeds what is left to pay.";
    PAYMENT_IN_FUTURE: "A payment cannot be dated in the future.";
    QUOTE_EXPIRED: "This quote is no longer valid: issue a new one.";
    QUOTE_NOT_ACCEPTED: "Only an accepted quote can be invoiced.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slug_has_one_english_message() {
        for slug in Slug::ALL {
            let lines = PROBLEMS_EN
                .iter()
                .filter(|[s, _]| *s == slug.as_str())
                .collect::<Vec<_>>();
            assert_eq!(lines.len(), 1, "{slug}: {} English lines", lines.len());
            assert!(!lines[0][1].is_empty(), "{slug}: an empty message");
        }
        for [s, _] in PROBLEMS_EN {
            assert!(
                Slug::ALL.iter().any(|slug| slug.as_str() == s),
                "a message for an unknown slug: {s}"
            );
        }
        assert!(PROBLEMS_FR.iter().flatten().all(|s| s.is_empty()));
    }
}
