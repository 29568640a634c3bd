"""Provider adapters of the 알림톡/SMS channel, chosen by ``MESSAGE_BACKEND``.

- ``console`` (the default, development): prints each message, as Django's console e-mail backend does.
- ``locmem`` (tests): keeps each message in ``sent_messages``.
- ``http`` (production): a message provider's HTTP API in the SOLAPI v4 form (``POST /messages/v4/send``,
  HMAC-SHA256 signed with ``MESSAGE_API_KEY``/``MESSAGE_API_SECRET``), at ``MESSAGE_PROVIDER_URL``.

A backend has two calls. ``send_alimtalk`` sends a pre-approved 알림톡 template and raises
``AlimtalkUndeliverable`` when KakaoTalk cannot take it for this person (no KakaoTalk, template not
approved): the channel then sends the same text as SMS/LMS with ``send_text``. Both return the provider's
message id. Errors say whether the message certainly did not leave (``MessageNotSent``: retry), was refused
for good (``MessageRejected``: give up) or may have left (``MessageUncertain``: never repeated automatically).
"""

import hashlib
import hmac
import json
import logging
import secrets
import sys
from datetime import UTC, datetime

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Test backend's record of every message "sent", like django.core.mail.outbox.
sent_messages = []


class MessageError(Exception):
    """The provider did not take the message."""


class MessageNotSent(MessageError):
    """Certainly not delivered to the provider (no connection, provider busy): safe to try again."""


class MessageRejected(MessageError):
    """The provider refused the message for good (bad number, no credit, bad sender number)."""


class MessageUncertain(MessageError):
    """The request may have reached the provider (no answer in time): sending again could send it twice."""


class AlimtalkUndeliverable(Exception):
    """KakaoTalk cannot carry this 알림톡 to this person; the text goes by SMS/LMS instead."""


BACKENDS = {
    "console": "jeonju_center.common.message_backends.ConsoleBackend",
    "locmem": "jeonju_center.common.message_backends.LocmemBackend",
    "http": "jeonju_center.common.message_backends.HttpProviderBackend",
}


def message_backend():
    name = getattr(settings, "MESSAGE_BACKEND", "console") or "console"
    return import_string(BACKENDS.get(name, name))()


class ConsoleBackend:
    def send_alimtalk(self, *, to, template_id, variables, text):
        self._print("알림톡", to, f"[{template_id}] {text}")
        return f"console-{secrets.token_hex(6)}"

    def send_text(self, *, to, text, kind, subject=""):
        self._print(kind.upper(), to, text)
        return f"console-{secrets.token_hex(6)}"

    def _print(self, channel, to, text):
        sys.stdout.write(f"--- {channel} → {to} ---\n{text}\n---\n")
        sys.stdout.flush()


class LocmemBackend:
    def send_alimtalk(self, *, to, template_id, variables, text):
        return self._keep(channel="alimtalk", to=to, text=text, template_id=template_id, variables=variables)

    def send_text(self, *, to, text, kind, subject=""):
        return self._keep(channel=kind, to=to, text=text, subject=subject)

    def _keep(self, **message):
        message_id = f"locmem-{len(sent_messages) + 1}"
        sent_messages.append({"id": message_id, **message})
        return message_id


class HttpProviderBackend:
    """SOLAPI-style JSON API. Numbers are sent as digits only; the sender number (발신번호) must be
    registered with the provider and the 알림톡 templates approved for the center's Kakao channel
    (``MESSAGE_KAKAO_CHANNEL_ID``)."""

    CONNECT_TIMEOUT = 5
    READ_TIMEOUT = 15
    ACCEPTED = "2000"

    def __init__(self):
        self.url = settings.MESSAGE_PROVIDER_URL.rstrip("/") + "/messages/v4/send"
        self.api_key = settings.MESSAGE_API_KEY
        self.api_secret = settings.MESSAGE_API_SECRET
        self.sender = _digits(settings.MESSAGE_SENDER)
        self.channel_id = settings.MESSAGE_KAKAO_CHANNEL_ID

    def send_alimtalk(self, *, to, template_id, variables, text):
        message = {
            "to": _digits(to),
            "from": self.sender,
            "type": "ATA",
            "text": text,
            # The fallback is ours (send_text), so the provider must not send a second copy by itself.
            "kakaoOptions": {
                "pfId": self.channel_id,
                "templateId": template_id,
                "variables": variables,
                "disableSms": True,
            },
        }
        status, body = self._post(message)
        if status >= 500:
            raise MessageNotSent(f"HTTP {status}: {body.get('errorMessage', '')}")
        if status >= 400 or body.get("statusCode") != self.ACCEPTED:
            raise AlimtalkUndeliverable(
                f"{body.get('statusCode') or status}: {body.get('statusMessage', '')}"
            )
        return str(body.get("messageId", ""))

    def send_text(self, *, to, text, kind, subject=""):
        message = {"to": _digits(to), "from": self.sender, "type": kind.upper(), "text": text}
        if kind == "lms" and subject:
            message["subject"] = subject
        status, body = self._post(message)
        if status >= 500:
            raise MessageNotSent(f"HTTP {status}: {body.get('errorMessage', '')}")
        if status >= 400 or body.get("statusCode") != self.ACCEPTED:
            detail = body.get("statusMessage") or body.get("errorMessage", "")
            raise MessageRejected(f"{body.get('statusCode') or status}: {detail}")
        return str(body.get("messageId", ""))

    def _authorization(self):
        date = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        salt = secrets.token_hex(16)
        signature = hmac.new(self.api_secret.encode(), f"{date}{salt}".encode(), hashlib.sha256).hexdigest()
        return f"HMAC-SHA256 apiKey={self.api_key}, date={date}, salt={salt}, signature={signature}"

    def _post(self, message):
        import requests

        try:
            response = requests.post(
                self.url,
                data=json.dumps({"message": message}, ensure_ascii=False).encode(),
                headers={
                    "Authorization": self._authorization(),
                    "Content-Type": "application/json; charset=utf-8",
                },
                timeout=(self.CONNECT_TIMEOUT, self.READ_TIMEOUT),
            )
        except requests.exceptions.ConnectTimeout as error:
            raise MessageNotSent(f"no connection: {error}") from error
        except requests.exceptions.ConnectionError as error:
            # Refused or unresolvable: nothing went out. Any other broken connection may have carried it.
            if "NewConnectionError" in repr(error) or "Failed to resolve" in repr(error):
                raise MessageNotSent(f"no connection: {error}") from error
            raise MessageUncertain(f"connection lost: {error}") from error
        except requests.exceptions.Timeout as error:
            raise MessageUncertain(f"no answer in time: {error}") from error
        try:
            body = response.json()
        except ValueError:
            body = {}
        return response.status_code, body if isinstance(body, dict) else {}


def _digits(phone):
    return "".join(char for char in phone or "" if char.isdigit())
