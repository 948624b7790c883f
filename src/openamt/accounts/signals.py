"""Events of the Servicekonto that other modules act on (the Postfach opens
with a confirmed account) without the account module knowing them."""

from django.dispatch import Signal

# sender: the Account class; kwargs: account
account_confirmed = Signal()

# sender: the BusinessAccount class; kwargs: business
business_created = Signal()
