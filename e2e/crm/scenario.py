"""A CRM runs the office side of a bilan through the generated client (issue 15).

Uses ONLY the Python client that openapi-python-client generated from openapi/openapi.json, with an
API key, except where the law wants a person (said at each place). Run by scripts/crm-scenario.sh:
    python scenario.py BASE_URL API_KEY MAILBOX_DIR

Structure, for the webhook step that comes with the `hooks` branch: `setup()` is where a webhook
endpoint will be registered (before anything happens), `run()` does the office side and returns what
happened (`Happened`: the ids and the events expected), `verify()` is where the received events will
be checked against it.
"""

import datetime as dt
import json
import pathlib
import sys
import time
import urllib.request
from dataclasses import dataclass, field

from boussole_client import AuthenticatedClient
from boussole_client.api.appointments import change_appointment, create_appointment, list_appointments
from boussole_client.api.beneficiaries import create_beneficiary, list_beneficiaries
from boussole_client.api.bilans import create_bilan, create_fact, get_bilan, list_facts, transition_bilan, update_bilan
from boussole_client.api.users import list_users
from boussole_client.models import (
    AppointmentChangeType0 as MoveAppointment, BilanPatch, NewAppointment, NewBeneficiary, NewBilan, NewFact, Role,
    TransitionRequest,
)


@dataclass
class Happened:
    beneficiary_id: str = ""
    bilan_id: str = ""
    appointment_id: str = ""
    # The webhook event kinds this run should cause, in order (checked by verify()).
    events: list = field(default_factory=list)


def ok(response, status):
    if response.status_code != status:
        raise SystemExit(f"expected {status}, got {response.status_code}: {response.content[:500]!r}")
    return response.parsed


def plain_http(base, method, path, body=None, token=None):
    """A person's own action, outside the integration (see the callers)."""
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def invitation_token(mailbox, email):
    for _ in range(50):
        for path in sorted(pathlib.Path(mailbox).glob("*.json"), reverse=True):
            mail = json.loads(path.read_text())
            if mail["to"] == email and "token=" in mail["text"]:
                return mail["text"].split("token=")[1].split()[0]
        time.sleep(0.1)
    raise SystemExit(f"no invitation for {email}")


def setup(base, key):
    """Before anything happens: the webhook step registers its endpoint here."""
    return AuthenticatedClient(base_url=base, token=key)


def run(client, base, mailbox):
    h = Happened()
    stamp = int(time.time())
    email = f"crm.{stamp}@exemple.fr"
    # 1. The beneficiary, known to the CRM by its own id.
    new = NewBeneficiary.from_dict({"email": email, "first_name": "Claire", "last_name": "Fontaine",
                                    "situation": "employee_cdi", "external_ref": f"CRM-B-{stamp}"})
    h.beneficiary_id = str(ok(create_beneficiary.sync_detailed(client=client, body=new), 201).person.id)
    h.events.append("beneficiary.created")
    found = ok(list_beneficiaries.sync_detailed(client=client, external_ref=f"CRM-B-{stamp}"), 200)
    assert [str(b.person.id) for b in found.items] == [h.beneficiary_id]
    # 2. The bilan, with a consultant of the organisation.
    consultants = ok(list_users.sync_detailed(client=client, role=Role.CONSULTANT), 200).items
    consultant = str(consultants[0].id)
    bilan = ok(create_bilan.sync_detailed(client=client, body=NewBilan.from_dict({
        "beneficiary_id": h.beneficiary_id, "consultant_id": consultant, "funding": "employer",
        "format": "mixed", "planned_hours": 20, "external_ref": f"CRM-D-{stamp}"})), 201)
    h.bilan_id = str(bilan.id)
    h.events.append("bilan.created")
    ok(update_bilan.sync_detailed(h.bilan_id, client=client, body=BilanPatch.from_dict({"external_ref": f"CRM-D2-{stamp}"})), 200)
    today = dt.date.today().isoformat()

    def fact(kind):
        ok(create_fact.sync_detailed(h.bilan_id, client=client, body=NewFact.from_dict({"kind": kind, "occurred_on": today})), 201)

    def move(to):
        ok(transition_bilan.sync_detailed(h.bilan_id, client=client, body=TransitionRequest.from_dict({"to": to})), 200)
        h.events.append("bilan.status_changed")

    # 3. The administrative facts the start needs: pre-contract information and the convention.
    fact("pre_contract_info")
    fact("tripartite_convention_signed")
    # The consent to start (L6313-4) is the beneficiary's own, given in their space: not an
    # integration's to give. Done here as the beneficiary would, with plain HTTP, after they accepted
    # the invitation the creation sent them.
    token = invitation_token(mailbox, email)
    plain_http(base, "POST", "/api/v1/invitations/accept", {"token": token, "password": "Crm-scenario-2026!"})
    me = plain_http(base, "POST", "/api/v1/auth/login", {"email": email, "password": "Crm-scenario-2026!"})
    plain_http(base, "POST", f"/api/v1/bilans/{h.bilan_id}/consents", {"kind": "start"}, me["access_token"])
    move("preliminary")
    # 4. An appointment, booked then moved by the office.
    start = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
    appointment = ok(create_appointment.sync_detailed(client=client, body=NewAppointment.from_dict({
        "bilan_id": h.bilan_id, "consultant_id": consultant, "kind": "bilan_session", "mode": "remote",
        "starts_at": start.isoformat().replace("+00:00", "Z"), "duration_minutes": 60})), 201)
    h.appointment_id = str(appointment.id)
    h.events.append("appointment.booked")
    later = (start + dt.timedelta(days=1)).isoformat().replace("+00:00", "Z")
    ok(change_appointment.sync_detailed(h.appointment_id, client=client,
                                        body=MoveAppointment.from_dict({"action": "move", "starts_at": later})), 200)
    h.events.append("appointment.moved")
    listed = ok(list_appointments.sync_detailed(client=client, bilan_id=h.bilan_id), 200)
    assert [str(a.id) for a in listed.items] == [h.appointment_id]
    # 5. The phases, each gate opened by its dated facts, to completion.
    for kind in ("needs_analysis", "personalised_objectives", "agreed_arrangements"):
        fact(kind)
    move("investigation")
    move("conclusion")
    for kind in ("results_appropriated", "project_conditions", "project_steps", "synthese_delivered"):
        fact(kind)
    move("completed")
    h.events.append("bilan.completed")
    # 6. What the CRM reads back: administrative facts only.
    done = ok(get_bilan.sync_detailed(h.bilan_id, client=client), 200)
    assert done.status.value == "completed", done.status
    kinds = {f.kind.value for f in ok(list_facts.sync_detailed(h.bilan_id, client=client), 200)}
    assert "synthese_delivered" in kinds, kinds
    return h


def verify(h):
    """After the run: the webhook step checks the received events against `h.events` here."""
    print(f"crm-scenario: ok, bilan {h.bilan_id} completed; events to expect: {', '.join(h.events)}")


if __name__ == "__main__":
    base, key, mailbox = sys.argv[1:4]
    verify(run(setup(base, key), base, mailbox))
