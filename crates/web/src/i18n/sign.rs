//! The words of the signing page (issue 12, electronic signature), French and English side by side.

#[derive(Debug)]
#[repr(C)]
pub struct SignStrings {
    pub title: &'static str,
    pub intro: &'static str,
    pub read: &'static str,
    pub hash: &'static str,
    pub position: &'static str,
    pub waiting: &'static str,
    pub signed: &'static str,
    pub code_intro: &'static str,
    pub code_email: &'static str,
    pub code_sms: &'static str,
    pub code_sent: &'static str,
    pub code: &'static str,
    pub accept: &'static str,
    pub submit: &'static str,
    pub answer_by: &'static str,
}

pub const SIGN_FR: SignStrings = SignStrings {
    title: "Signer un document",
    intro: "{org} vous invite à signer électroniquement « {doc} ».",
    read: "Lire le document (PDF)",
    hash: "Empreinte SHA-256 du document",
    position: "Signataire {n} sur {of} : {name}",
    waiting: "Un signataire précédent n’a pas encore signé : vous recevrez un nouveau lien à votre tour.",
    signed: "Document signé. Merci : chaque signataire recevra l’original signé par l’organisme.",
    code_intro: "Pour confirmer votre identité, recevez un code à usage unique (valable 10 minutes).",
    code_email: "Recevoir le code par e-mail",
    code_sms: "Recevoir le code par SMS",
    code_sent: "Code envoyé à {to}.",
    code: "Code reçu (6 chiffres)",
    accept: "J’ai lu le document et j’accepte le texte suivant :",
    submit: "Signer le document",
    answer_by: "Réponse attendue avant le {date} : sans réponse, la convention est refusée.",
};

#[cfg(not(target_arch = "wasm32"))]
pub const SIGN_EN: SignStrings = SignStrings {
    title: "Sign a document",
    intro: "{org} invites you to sign “{doc}” electronically.",
    read: "Read the document (PDF)",
    hash: "SHA-256 fingerprint of the document",
    position: "Signer {n} of {of}: {name}",
    waiting: "An earlier signer has not signed yet: you will get a new link when it is your turn.",
    signed: "Document signed. Thank you: every signer will receive the signed original from the organisation.",
    code_intro: "To confirm who you are, get a one-time code (valid 10 minutes).",
    code_email: "Get the code by email",
    code_sms: "Get the code by SMS",
    code_sent: "Code sent to {to}.",
    code: "Code received (6 digits)",
    accept: "I have read the document and accept the following text (in French, as signed):",
    submit: "Sign the document",
    answer_by: "Answer expected before {date}: without an answer, the convention is refused.",
};
