from django.dispatch import Signal

# Sent with ``user=`` inside the transaction that deletes a citizen's account, before the row goes.
# Apps end the person's ongoing commitments here through their own services (e.g. courses cancels
# upcoming enrolments so the waiting list moves on); their history rows lose the link to the person
# (foreign keys are SET_NULL) and keep no personal data.
account_deleting = Signal()
