//! The words of the newcomer's first hour (issue 16): the phone menu, and the accessibility statement
//! RGAA asks for (`/accessibilite`). French and English side by side.

#[derive(Debug)]
pub struct HelpStrings {
    /// The button that unfolds the navigation on a phone.
    pub menu: &'static str,
    /// The footer's link, which RGAA wants on every page with the conformance status.
    pub a11y_link: &'static str,
    pub a11y_title: &'static str,
    pub a11y_sections: &'static [Section],
}

/// A section of a statement: its heading, its paragraphs, then a list.
#[derive(Debug)]
pub struct Section {
    pub title: &'static str,
    pub paras: &'static [&'static str],
    pub list: &'static [&'static str],
}

pub const HELP_FR: HelpStrings = HelpStrings {
    menu: "Menu",
    a11y_link: "Accessibilité : partiellement conforme",
    a11y_title: "Déclaration d’accessibilité",
    a11y_sections: &[
        Section {
            title: "Engagement",
            paras: &[
                "L’organisme qui vous accompagne s’engage à rendre ses services numériques accessibles, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration s’applique à Boussole, la plateforme des bilans de compétences (application web).",
            ],
            list: &[],
        },
        Section {
            title: "État de conformité",
            paras: &[
                "Boussole est partiellement conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1.2, en raison des non-conformités et dérogations énumérées ci-dessous.",
                "Niveau mesuré : aucun audit complet des 106 critères du RGAA n’a encore été réalisé, le taux de conformité n’est donc pas encore établi. À chaque version, les parcours automatisés vérifient chaque écran visité avec axe-core, à 1280 et à 375 pixels de large, sans aucune erreur grave ou critique, et un parcours entier se fait au clavier seul (connexion, prise de rendez-vous, consentement, déconnexion), focus visible à chaque étape.",
            ],
            list: &[],
        },
        Section {
            title: "Contenus non accessibles connus",
            paras: &[],
            list: &[
                "La salle de visioconférence est fournie par Jitsi Meet : son accessibilité au clavier et aux lecteurs d’écran dépend de ce logiciel tiers. Un rendez-vous sur place ou par téléphone peut toujours être demandé à votre consultant.",
                "Le code d’émargement sur place change toutes les cinq minutes (critère 13.1) : le consultant peut en afficher un nouveau à tout moment.",
                "Les documents déposés par les utilisateurs (PDF, images) ne sont pas vérifiés : leur accessibilité dépend de leur auteur.",
                "Certains tableaux d’administration défilent horizontalement sur un téléphone au lieu de s’afficher en cartes.",
            ],
        },
        Section {
            title: "Établissement de cette déclaration",
            paras: &[
                "Déclaration établie le 5 décembre 2026. Technologies utilisées : HTML5, CSS, WAI-ARIA, WebAssembly. Environnement de test : Chromium avec axe-core, navigation au clavier seul, largeurs de 375 et 1280 pixels.",
            ],
            list: &[],
        },
        Section {
            title: "Retour d’information et contact",
            paras: &[
                "Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez l’organisme qui vous accompagne (ses coordonnées figurent sur votre devis ou votre contrat) : il vous orientera vers une alternative accessible ou vous transmettra le contenu sous une autre forme.",
            ],
            list: &[],
        },
        Section {
            title: "Voies de recours",
            paras: &[
                "Si vous avez signalé un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un service et que vous n’avez pas obtenu de réponse satisfaisante, vous pouvez saisir le Défenseur des droits :",
            ],
            list: &[
                "par le formulaire en ligne : https://formulaire.defenseurdesdroits.fr/",
                "auprès de l’un de ses délégués dans votre région : https://www.defenseurdesdroits.fr/saisir/delegues",
                "par courrier gratuit, sans timbre : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07",
            ],
        },
    ],
};

pub const HELP_EN: HelpStrings = HelpStrings {
    menu: "Menu",
    a11y_link: "Accessibility: partially compliant",
    a11y_title: "Accessibility statement",
    a11y_sections: &[
        Section {
            title: "Commitment",
            paras: &[
                "The provider who supports you is committed to making its digital services accessible, in accordance with article 47 of French law no. 2005-102 of 11 February 2005. This statement applies to Boussole, the skills assessment platform (web application).",
            ],
            list: &[],
        },
        Section {
            title: "Compliance status",
            paras: &[
                "Boussole is partially compliant with the French accessibility framework RGAA, version 4.1.2, because of the non-compliances and exemptions listed below.",
                "Measured level: no full audit of the 106 RGAA criteria has been carried out yet, so the compliance rate is not established. At every release the automated journeys check each screen they visit with axe-core, 1280 and 375 pixels wide, with no serious or critical error, and a whole journey is made with the keyboard alone (log in, book an appointment, give consent, log out), focus visible at each step.",
            ],
            list: &[],
        },
        Section {
            title: "Known inaccessible content",
            paras: &[],
            list: &[
                "The video room is provided by Jitsi Meet: its keyboard and screen-reader accessibility depends on that third-party software. An on-site or telephone appointment can always be asked of your consultant.",
                "The on-site attendance code changes every five minutes (criterion 13.1): the consultant can show a new one at any time.",
                "Documents uploaded by users (PDF, images) are not checked: their accessibility depends on their author.",
                "Some administration tables scroll sideways on a phone instead of showing as cards.",
            ],
        },
        Section {
            title: "Preparation of this statement",
            paras: &[
                "Statement made on 5 December 2026. Technologies: HTML5, CSS, WAI-ARIA, WebAssembly. Test environment: Chromium with axe-core, keyboard-only navigation, 375 and 1280 pixels wide.",
            ],
            list: &[],
        },
        Section {
            title: "Feedback and contact",
            paras: &[
                "If you cannot reach some content or service, contact the provider who supports you (their details are on your quote or contract): they will offer an accessible alternative or send you the content in another form.",
            ],
            list: &[],
        },
        Section {
            title: "Remedies",
            paras: &[
                "If you reported an accessibility defect that prevents you from reaching some content or service and did not get a satisfactory answer, you may refer the matter to the Défenseur des droits:",
            ],
            list: &[
                "through the online form: https://formulaire.defenseurdesdroits.fr/",
                "with one of its delegates in your region: https://www.defenseurdesdroits.fr/saisir/delegues",
                "by free post, no stamp needed: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07",
            ],
        },
    ],
};
