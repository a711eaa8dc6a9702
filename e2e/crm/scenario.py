"""A CRM runs the office side of a bilan through the generated client (issue 15).

Uses ONLY the Python client that openapi-python-client generated from openapi/openapi.json, with an
API key, except where the law wants a person (said at each place). Run by scripts/crm-scenario.sh:
    python scenario.py BASE_URL API_KEY MAILBOX_DIR

`setup()` starts a local webhook receiver and registers it (every event kind) before anything
happens, `run()` does the office side and returns what happened (`Happened`: the ids and the events
expected), `verify()` waits for the webhooks, checks each one's signature (HMAC-SHA256 of "t.body"
with the endpoint's secret, Stripe's scheme) and that every expected event about these records came,
then reads the endpoint's delivery log through the client.
"""

import datetime as dt
import hashlib
import hmac
import http.server
import json
import pathlib
import sys
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

from boussole_client import AuthenticatedClient
from boussole_client.api.appointments import change_appointment, create_appointment, list_appointments
from boussole_client.api.beneficiaries import create_beneficiary, list_beneficiaries
from boussole_client.api.bilans import create_bilan, create_fact, get_bilan, list_facts, transition_bilan, update_bilan
from boussole_client.api.users import list_users
from boussole_client.api.webhooks import create_webhook, list_webhook_deliveries
from boussole_client.models import (
    AppointmentChangeType0 as MoveAppointment, BilanPatch, NewAppointment, NewBeneficiary, NewBilan, NewFact,
    NewWebhookEndpoint, Role, TransitionRequest, WebhookEventKind,
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
    # The invitation goes through the outbox, sent by its job: wait for it (up to 20 s).
    for _ in range(200):
        for path in sorted(pathlib.Path(mailbox).glob("*.json"), reverse=True):
            mail = json.loads(path.read_text())
            if mail["to"] == email and "token=" in mail["text"]:
                return mail["text"].split("token=")[1].split()[0]
        time.sleep(0.1)
    raise SystemExit(f"no invitation for {email}")


class Receiver(http.server.BaseHTTPRequestHandler):
    """The CRM's webhook endpoint: keeps each request's headers and raw body, answers 204."""
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@dataclass
class Hook:
    endpoint_id: str
    secret: str


def setup(base, key):
    """Before anything happens: a local receiver, registered for every event kind with the key."""
    client = AuthenticatedClient(base_url=base, token=key)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/boussole"
    created = ok(create_webhook.sync_detailed(client=client, body=NewWebhookEndpoint.from_dict({
        "url": url, "description": "CRM scenario", "events": [k.value for k in WebhookEventKind]})), 201)
    return client, Hook(endpoint_id=str(created.endpoint.id), secret=created.secret)


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


def signed(secret, headers, body):
    """True when `Boussole-Signature: t=…,v1=…` is the HMAC-SHA256 of "t.body" under the secret."""
    parts = dict(p.split("=", 1) for p in headers["boussole-signature"].split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"]) and abs(time.time() - int(parts["t"])) < 300


def ours(h, event):
    """The events about this run's records (the demo's own records emit none after setup anyway)."""
    ids = {h.beneficiary_id, h.bilan_id, h.appointment_id}
    return bool(ids & {str(v) for v in event["data"].values()})


def verify(client, hook, h):
    """Every expected event arrives, once per event id, signed with the endpoint's secret."""
    want = Counter(h.events)
    deadline = time.time() + 60
    while True:
        events = {}
        for headers, body in list(Receiver.received):
            if not signed(hook.secret, headers, body):
                raise SystemExit(f"a webhook whose signature does not verify: {headers} {body[:200]!r}")
            event = json.loads(body)
            assert headers["boussole-event-id"] == event["id"] and headers["boussole-event-type"] == event["type"]
            events[event["id"]] = event
        got = Counter(e["type"] for e in events.values() if ours(h, e))
        if not want - got:
            break
        if time.time() > deadline:
            raise SystemExit(f"webhooks missing after 60 s: {dict(want - got)}; received {dict(got)}")
        time.sleep(0.2)
    for event in events.values():
        # Administrative facts only: ids, statuses, dates, never a text of the bilan.
        for leaked in ("notes", "text", "body", "answers", "synthesis", "reason"):
            assert leaked not in event["data"], (event["type"], event["data"])
    log = ok(list_webhook_deliveries.sync_detailed(hook.endpoint_id, client=client, per_page=100), 200)
    assert log.items and all(d.status.value == "delivered" for d in log.items), [d.status for d in log.items]
    print(f"crm-scenario: ok, bilan {h.bilan_id} completed; {len(events)} webhooks received and verified: "
          + ", ".join(f"{k} ×{n}" for k, n in sorted(got.items())))


if __name__ == "__main__":
    base, key, mailbox = sys.argv[1:4]
    client, hook = setup(base, key)
    verify(client, hook, run(client, base, mailbox))
