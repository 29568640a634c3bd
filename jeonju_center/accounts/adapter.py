"""allauth's e-mails (address verification, password reset, notices) go through the portal's outbox like every
other e-mail: queued in the request's transaction, sent by a worker, retried, and never a failed request when
the mail server is down."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter

from jeonju_center.common.outbox import outbox_enqueue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html_body = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", ())
                if mimetype == "text/html"
            ),
            "",
        )
        # Every call is a new message (a second reset link is a second e-mail); the outbox sends each one once.
        outbox_enqueue(
            dedup_key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}",
            to=message.to,
            subject=message.subject,
            body=message.body,
            html_body=html_body,
        )
