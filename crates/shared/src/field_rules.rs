//! Why a field was refused, by name. A 400 `validation` problem sends, for each field, its messages in
//! `errors` (French, specific: they may name a limit or a date) and, in `rules`, the rule each message
//! breaks. When the request's `Accept-Language` prefers English, the API sends each message as its rule's
//! English instead (`crates/api/src/language.rs`; the SPA sends the language it shows); a CRM may also map
//! the codes itself instead of reading sentences.

coded_enum! {
    /// A rule that a field of a request breaks.
    FieldRule,
    /// The rule said in English, next to the field (the messages of an English request, the OpenAPI's
    /// description of the code).
    fn english;
    Required = "required", "Required.";
    TooShort = "too-short", "Too short.";
    TooLong = "too-long", "Too long.";
    /// A list with more items than allowed.
    TooMany = "too-many", "Too many items.";
    /// A number or a date outside its bounds.
    Range = "range", "Outside the allowed range.";
    /// Not the expected shape (characters allowed, a code's length, an invisible character…).
    Format = "format", "Not in the expected format.";
    Email = "email", "Not a valid email address.";
    Url = "url", "Not a valid web address (https://…).";
    /// A French mobile number (06 or 07) is expected.
    Phone = "phone", "A French mobile number (06 or 07) is expected.";
    Siret = "siret", "Not a valid SIRET number (14 digits with a check digit).";
    NotInFuture = "not-in-future", "Cannot be in the future.";
    InFuture = "in-future", "Must be in the future.";
    /// An end before its start.
    Order = "order", "Must come after the start.";
    /// A date before what the record allows (the current state's start, say).
    TooEarly = "too-early", "Earlier than this record allows.";
    PeriodTooLong = "period-too-long", "The period is too long.";
    /// Times and durations go in steps of 5 minutes.
    Step = "step", "Goes in steps of 5 minutes.";
    Overlap = "overlap", "Overlaps another entry.";
    Duplicate = "duplicate", "Given twice.";
    /// Already recorded for another person or organisation (an email, a CRM id).
    Taken = "taken", "Already in use.";
    /// An id or a key that names nothing of this record (another bilan's session, an unknown payer).
    Unknown = "unknown", "Unknown here: choose one of the listed items.";
    /// A value this caller may not give, or not in this case.
    NotAllowed = "not-allowed", "Not allowed here.";
    WrongPassword = "wrong-password", "Wrong password.";
    WrongCode = "wrong-code", "Wrong or expired code.";
    /// Common, or built on the person's name or email address.
    WeakPassword = "weak-password",
        "Too easy to guess (a common password, or one built on your name or email address): make it longer, with several words for example.";
    /// A personal link's token that is spent, expired or unknown.
    LinkInvalid = "link-invalid", "This link is invalid, has expired or has already been used.";
    /// Needs the person's explicit agreement (a box to tick).
    ConsentRequired = "consent-required", "Needs your explicit agreement.";
    MobileRequired = "mobile-required", "Needs a mobile number (06 or 07).";
    /// A Paris local time that does not exist, or exists twice, on that day (a clock change).
    LocalTime = "local-time",
        "This time does not exist, or exists twice, on that day (clock change): choose another.";
}

impl FieldRule {
    /// The rule of a `validator` error code (the `#[validate]` attributes of the DTOs): `length` is
    /// split by the bound it breaks, `value_len` being the length of what was sent (an empty text
    /// under a minimum is missing, not short).
    pub fn of_validator(code: &str, min: Option<u64>, value_len: Option<u64>) -> FieldRule {
        match code {
            "email" => FieldRule::Email,
            "url" => FieldRule::Url,
            "range" => FieldRule::Range,
            "count" => FieldRule::TooMany,
            "length" => match (min, value_len) {
                (Some(_), Some(0)) => FieldRule::Required,
                (Some(min), Some(len)) if len < min => FieldRule::TooShort,
                (Some(_), None) => FieldRule::TooShort,
                _ => FieldRule::TooLong,
            },
            _ => FieldRule::Format,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_parse_back() {
        crate::tests::check_codes(FieldRule::ALL, FieldRule::as_str, FieldRule::parse);
        assert!(FieldRule::ALL.iter().all(|r| r.english().ends_with('.')));
        assert_eq!(FieldRule::TABLE[0], ["required", "Required."]);
        assert_eq!(FieldRule::parse("obligatoire"), None);
    }

    #[test]
    fn a_length_error_names_the_bound_it_breaks() {
        use FieldRule as R;
        assert_eq!(R::of_validator("length", Some(8), Some(3)), R::TooShort);
        assert_eq!(R::of_validator("length", Some(1), Some(0)), R::Required);
        assert_eq!(R::of_validator("length", Some(1), Some(300)), R::TooLong);
        assert_eq!(R::of_validator("length", None, Some(300)), R::TooLong);
        assert_eq!(R::of_validator("length", Some(1), None), R::TooShort);
        assert_eq!(R::of_validator("email", None, None), R::Email);
        assert_eq!(R::of_validator("control_characters", None, None), R::Format);
    }
}
