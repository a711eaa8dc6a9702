#!/usr/bin/env python3
"""Writes the instrument files of this directory.

The two standard instruments are converted from the checked data files of the shared data set
(`instruments/ipip-big5-50.json`, `instruments/riasec.json`: item texts, keys, sources, licences and
attributions); the skills self-assessment and the work-values ranking are the project's own.
Usage: python3 convert.py <dir holding ipip-big5-50.json and riasec.json>
The files are the source of truth once written: a published version never changes (the API refuses
to start when a file differs from the version stored under the same number), so an edit means a new
`version`.
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
NOT_VALIDATED = ("Traduction française du projet Boussole, non validée : les résultats sont exploratoires "
                 "et se discutent avec le consultant. / French translation by the Boussole project, not validated.")


def t(fr, en=None):
    return {"fr": fr, "en": en} if en else {"fr": fr}


def likert(src):
    s = src["scale"]
    return {"kind": "likert", "min": s["min"], "max": s["max"],
            "labels": [t(f, e) for f, e in zip(s["labels_fr"], s["labels_en"])]}


def thirds(lo, hi, texts):
    """Three bands splitting [lo, hi] into equal thirds (positions on the scale, not norms)."""
    step = (hi - lo + 1) / 3
    cuts = [lo, round(lo + step), round(lo + 2 * step), hi + 1]
    return [{"min": cuts[i], "max": cuts[i + 1] - 1 if i < 2 else hi, "text": t(*texts[i])} for i in range(3)]


def source_text(src):
    s = src["source"]
    return f"{s['instrument']} Reference: {s['reference']} Version of the data file: {src['version']}."


RIASEC_DESC = {
    "R": "Activités concrètes, manuelles ou techniques, avec des outils, des machines, des matériaux.",
    "I": "Activités d'observation, d'analyse et de recherche pour comprendre.",
    "A": "Activités de création et d'expression, peu codifiées.",
    "S": "Activités d'aide, d'enseignement, de soin, de conseil aux personnes.",
    "E": "Activités où l'on entreprend, convainc, dirige, prend des décisions.",
    "C": "Activités organisées, précises, avec des données, des procédures, des classements.",
}


def riasec(src):
    items = {i["code"]: i for i in src["items"]}
    order = src["presentation_order"]["suggested_fixed_interleaved_order"]
    kind = likert(src)
    section_items = [{"id": c, "text": t(items[c]["fr"], items[c]["en"]), **kind} for c in order]
    scales = []
    for f in src["factors"]:
        scales.append({
            "id": f["id"], "name": t(f["name_fr"], f["name_en"]), "description": t(RIASEC_DESC[f["id"]]),
            "items": [{"item": i["code"]} for i in src["items"] if i["factor"] == f["id"]],
            "rule": "sum", "holland": f["id"],
            "bands": thirds(8, 40, [
                ("Intérêt exprimé faible pour ce type d'activités.", "Low expressed interest."),
                ("Intérêt exprimé modéré pour ce type d'activités.", "Moderate expressed interest."),
                ("Intérêt exprimé marqué pour ce type d'activités.", "Marked expressed interest."),
            ]),
        })
    return {
        "id": "riasec-markers-48", "version": 1, "kind": "interests",
        "title": t("Intérêts professionnels (RIASEC, 48 activités)", "Vocational interests (RIASEC markers, 48 activities)"),
        "description": t("Six types d'intérêts de Holland : Réaliste, Investigateur, Artistique, Social, Entreprenant, "
                         "Conventionnel. Le code à trois lettres résume les types les plus marqués.",
                         "Holland's six interest types; the three-letter code sums up the highest ones."),
        "instructions": t(src["instructions_fr"], src["instructions_en"]),
        "source": source_text(src), "licence": src["licence"], "attribution": src["attribution"],
        "translation_note": NOT_VALIDATED, "exploratory": True,
        "sections": [{"id": "activities", "title": t("Activités", "Activities"), "items": section_items}],
        "scales": scales,
    }


BIG5_BANDS = {
    "E": ("plutôt réservé(e), à l'aise dans le calme", "entre réserve et sociabilité", "plutôt sociable et expansif(ve)"),
    "A": ("plutôt direct(e), attaché(e) à son propre point de vue", "entre fermeté et conciliation", "plutôt attentif(ve) aux autres et conciliant(e)"),
    "C": ("plutôt spontané(e), souple avec l'organisation", "entre spontanéité et méthode", "plutôt organisé(e) et méthodique"),
    "ES": ("plutôt sensible aux tensions et aux soucis", "entre sensibilité et calme", "plutôt calme et détendu(e) face aux tensions"),
    "I": ("plutôt tourné(e) vers le concret et le connu", "entre concret et idées nouvelles", "plutôt curieux(se) des idées et de l'imaginaire"),
}


def big5(src):
    kind = likert(src)
    section_items = [{"id": f"q{i['n']}", "text": t(i["fr"], i["en"]), **kind} for i in src["items"]]
    scales = []
    for f in src["factors"]:
        low, mid, high = BIG5_BANDS[f["id"]]
        scales.append({
            "id": f["id"], "name": t(f["name_fr"], f["name_en"]),
            "items": [{"item": f"q{i['n']}", "reverse": i["key"] == "-"} for i in src["items"] if i["factor"] == f["id"]],
            "rule": "sum",
            "bands": thirds(10, 50, [
                (f"Score dans le bas de l'échelle : vous vous décrivez {low}.", "Lower part of the scale."),
                (f"Score au milieu de l'échelle : vous vous décrivez {mid}.", "Middle of the scale."),
                (f"Score dans le haut de l'échelle : vous vous décrivez {high}.", "Upper part of the scale."),
            ]),
        })
    return {
        "id": "ipip-bffm-50", "version": 1, "kind": "personality",
        "title": t("Personnalité : cinq grands facteurs (IPIP, 50 items)", "Personality: IPIP Big-Five factor markers (50 items)"),
        "description": t("Comment vous vous décrivez sur cinq grandes dimensions de la personnalité. Pas de normes "
                         "publiées pour cette forme : les bandes sont des positions sur l'échelle, pas une comparaison "
                         "à une population.", "Self-description on five broad dimensions; no published norms."),
        "instructions": t(src["instructions_fr"], src["instructions_en"]),
        "source": source_text(src), "licence": src["licence"], "attribution": src["attribution"],
        "translation_note": NOT_VALIDATED, "exploratory": True,
        "sections": [{"id": "items", "title": t("Affirmations", "Statements"), "items": section_items}],
        "scales": scales,
    }


SKILLS = [
    ("communication", "Communication", [("oral", "S'exprimer à l'oral devant un groupe"), ("write", "Rédiger des écrits clairs"),
                                        ("listen", "Écouter et reformuler"), ("convince", "Argumenter, négocier, convaincre")]),
    ("organisation", "Organisation", [("plan", "Planifier et organiser son travail"), ("priorities", "Gérer les priorités et les imprévus"),
                                      ("deadlines", "Tenir des délais"), ("budget", "Suivre un budget ou des moyens")]),
    ("relation", "Relation et coopération", [("team", "Travailler en équipe"), ("lead", "Animer, encadrer, transmettre"),
                                            ("conflict", "Désamorcer un désaccord ou un conflit"), ("public", "Accueillir, conseiller un public ou des clients")]),
    ("analysis", "Analyse et résolution de problèmes", [("analyse", "Analyser une situation, des informations"), ("solve", "Trouver des solutions à un problème"),
                                                         ("decide", "Prendre des décisions"), ("digital", "Utiliser des outils numériques")]),
    ("adaptation", "Adaptation et autonomie", [("change", "S'adapter aux changements"), ("learn", "Apprendre de nouvelles choses"),
                                               ("stress", "Garder son calme sous la pression"), ("initiative", "Prendre des initiatives")]),
]


def skills():
    kind = {"kind": "likert", "min": 1, "max": 4, "labels": [
        t("Je ne le fais pas ou peu", "Rarely or never"), t("Je me débrouille", "I manage"),
        t("Je maîtrise", "I master it"), t("Je pourrais l'enseigner", "I could teach it")]}
    prompt = t("Un exemple tiré de votre expérience (facultatif)", "An example from your experience (optional)")
    sections, scales = [], []
    for cid, name, items in SKILLS:
        sections.append({"id": cid, "title": t(name), "items": [
            {"id": f"{cid}-{sid}", "text": t(text), **kind, "comment_prompt": prompt} for sid, text in items]})
        scales.append({"id": cid, "name": t(name), "items": [{"item": f"{cid}-{sid}"} for sid, _ in items], "rule": "mean"})
    return {
        "id": "transferable-skills", "version": 1, "kind": "skills",
        "title": t("Auto-évaluation des compétences transférables", "Transferable skills self-assessment"),
        "description": t("Savoir-faire et savoir-être mobilisables d'un métier à l'autre, évalués par vous-même, avec "
                         "des exemples : une base pour l'analyse de vos compétences avec le consultant."),
        "instructions": t("Pour chaque compétence, indiquez votre niveau tel que vous le voyez aujourd'hui, et si vous "
                          "le pouvez un exemple concret (situation, action, résultat)."),
        "source": "Boussole. Catégories inspirées des savoir-être professionnels et savoir-faire transverses du ROME 4.0 "
                  "(France Travail) ; formulation du projet.",
        "licence": "CC0 1.0 (the Boussole project's own wording)",
        "attribution": "Boussole ; catégories inspirées du ROME 4.0 (Source : France Travail, ROME 4.0, Licence Ouverte / Etalab 2.0).",
        "exploratory": True, "sections": sections, "scales": scales,
    }


VALUES = [("autonomy", "Autonomie", "Organiser mon travail et décider par moi-même"),
          ("security", "Sécurité", "Un emploi stable et des revenus assurés"),
          ("recognition", "Reconnaissance", "Voir mon travail reconnu et pouvoir évoluer"),
          ("relationships", "Relations", "De bonnes relations avec mes collègues, un travail avec les autres"),
          ("achievement", "Accomplissement", "Utiliser mes capacités et voir le résultat de mon travail"),
          ("conditions", "Conditions de travail", "Un cadre, des horaires et une charge de travail qui me conviennent"),
          ("pay", "Rémunération", "Un bon niveau de salaire"),
          ("balance", "Équilibre de vie", "Concilier vie professionnelle et vie personnelle"),
          ("usefulness", "Utilité", "Me sentir utile aux autres ou à la société"),
          ("creativity", "Créativité", "Inventer, créer, proposer des idées nouvelles")]


def values():
    options = [{"id": v, "label": t(f"{name} : {text}")} for v, name, text in VALUES]
    return {
        "id": "work-values", "version": 1, "kind": "values",
        "title": t("Mes valeurs au travail", "Work values ranking"),
        "description": t("Ce qui compte le plus pour vous dans un travail, par ordre d'importance."),
        "instructions": t("Classez ces valeurs de la plus importante à la moins importante pour vous aujourd'hui. "
                          "Utilisez les boutons « monter » et « descendre » pour déplacer une valeur."),
        "source": "Boussole. Liste inspirée des valeurs de travail du modèle O*NET (accomplissement, autonomie, "
                  "reconnaissance, relations, soutien, conditions de travail) ; formulation et ajouts du projet, "
                  "aucun item O*NET repris.",
        "licence": "CC0 1.0 (the Boussole project's own wording)",
        "attribution": "Boussole.",
        "exploratory": True,
        "sections": [{"id": "ranking", "title": t("Classement"), "items": [
            {"id": "values", "text": t("Classez ces valeurs de la plus importante à la moins importante"), "kind": "ranking", "options": options},
            {"id": "why", "text": t("Qu'est-ce qui a guidé votre classement ? (facultatif)"), "kind": "text", "max_length": 2000, "required": False}]}],
        "scales": [{"id": v, "name": t(name), "items": [{"item": "values", "option": v}], "rule": "sum"} for v, name, _ in VALUES],
    }


def main():
    data = Path(sys.argv[1])
    out = {
        "riasec-markers-48.json": riasec(json.loads((data / "riasec.json").read_text())),
        "ipip-bffm-50.json": big5(json.loads((data / "ipip-big5-50.json").read_text())),
        "transferable-skills.json": skills(),
        "work-values.json": values(),
    }
    for name, doc in out.items():
        (HERE / name).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
