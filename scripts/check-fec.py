#!/usr/bin/env python3
"""Independent check of a FEC (fichier des écritures comptables, LPF A47 A-1), written without the
Rust code that produces it: reads the file as ISO-8859-15 with Python's csv module and checks the
name, the 18 fields in order, the dates, the amounts, that every entry (EcritureNum) balances and
that the whole file does, that entry numbers run 1, 2, 3... without a gap in chronological order.

    scripts/check-fec.py FILE        prints a JSON summary; exits 1 with the reasons when it fails
"""
import csv
import datetime
import json
import os
import re
import sys
from decimal import Decimal

FIELDS = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
          "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
          "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise"]
AMOUNT = re.compile(r"^-?\d+,\d{2}$")


def day(value, errors, where, optional=False):
    if optional and value == "":
        return None
    try:
        return datetime.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        errors.append(f"{where}: date {value!r} is not AAAAMMJJ")
        return None


def amount(value, errors, where):
    if not AMOUNT.match(value):
        errors.append(f"{where}: amount {value!r} is not written with a decimal comma")
        return Decimal(0)
    return Decimal(value.replace(",", "."))


def check(path):
    errors = []
    name = os.path.basename(path)
    m = re.fullmatch(r"(\d{9})FEC(\d{8})\.txt", name)
    if not m:
        errors.append(f"file name {name!r} is not <SIREN>FEC<AAAAMMJJ>.txt")
    year_end = day(m.group(2), errors, "file name") if m else None
    with open(path, encoding="iso-8859-15", newline="") as f:
        rows = list(csv.reader(f, delimiter="|", quoting=csv.QUOTE_NONE))
    if not rows or rows[0] != FIELDS:
        errors.append(f"first line is not the 18 field names in order: {rows[0] if rows else None}")
        return errors, {}
    entries = {}
    order = []
    total_debit = total_credit = Decimal(0)
    last_date = None
    aux_labels = set()
    lettered = set()
    for n, row in enumerate(rows[1:], start=2):
        where = f"line {n}"
        if len(row) != 18:
            errors.append(f"{where}: {len(row)} fields instead of 18")
            continue
        rec = dict(zip(FIELDS, row))
        for f in ("JournalCode", "JournalLib", "EcritureNum", "CompteNum", "CompteLib", "PieceRef",
                  "EcritureLib"):
            if rec[f].strip() == "":
                errors.append(f"{where}: {f} is empty")
        date = day(rec["EcritureDate"], errors, where)
        day(rec["PieceDate"], errors, where)
        day(rec["ValidDate"], errors, where)
        if (rec["EcritureLet"] == "") != (rec["DateLet"] == ""):
            errors.append(f"{where}: EcritureLet and DateLet go together")
        day(rec["DateLet"], errors, where, optional=True)
        if rec["EcritureLet"]:
            lettered.add(rec["EcritureLet"])
        if date and year_end and not (year_end.replace(month=1, day=1) <= date <= year_end):
            errors.append(f"{where}: {date} is outside the financial year ending {year_end}")
        if date and last_date and date < last_date:
            errors.append(f"{where}: entries are not in chronological order")
        last_date = date or last_date
        debit = amount(rec["Debit"], errors, where)
        credit = amount(rec["Credit"], errors, where)
        if debit < 0 or credit < 0 or (debit and credit):
            errors.append(f"{where}: a line is either a debit or a credit, and not negative")
        num = rec["EcritureNum"]
        if num not in entries:
            if order and order[-1] != num and num in order:
                errors.append(f"{where}: the lines of entry {num} are not together")
            order.append(num)
            entries[num] = [Decimal(0), Decimal(0)]
        elif order[-1] != num:
            errors.append(f"{where}: the lines of entry {num} are not together")
        entries[num][0] += debit
        entries[num][1] += credit
        total_debit += debit
        total_credit += credit
        if rec["CompAuxLib"]:
            aux_labels.add(rec["CompAuxLib"])
    for num, (debit, credit) in entries.items():
        if debit != credit:
            errors.append(f"entry {num} is unbalanced: debit {debit} != credit {credit}")
    if total_debit != total_credit:
        errors.append(f"the file is unbalanced: debit {total_debit} != credit {total_credit}")
    if order != [str(i) for i in range(1, len(order) + 1)]:
        errors.append(f"EcritureNum does not run 1, 2, 3... without a gap: {order[:10]}...")
    summary = {
        "entries": len(order),
        "lines": len(rows) - 1,
        "debit": str(total_debit),
        "credit": str(total_credit),
        "aux_labels": sorted(aux_labels),
        "lettering_codes": sorted(lettered),
    }
    return errors, summary


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    errors, summary = check(sys.argv[1])
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    print(json.dumps(summary))
