"""One fake Stripe account in memory: customers, prices, Checkout, subscriptions, invoices and events."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable

from tests.support.fakes.stripe_objects import (
    API_VERSION,
    Clock,
    Obj,
    Store,
    StripeError,
    add_month,
    as_bool,
    as_int,
    metadata,
    new_id,
    required,
)

CHECKOUT_LIFETIME = 24 * 3600


class StripeAccount:
    """The state behind the fake API; every change that Stripe announces becomes an event."""

    def __init__(self, public_url: str = "http://127.0.0.1") -> None:
        self.public_url = public_url
        self.store = Store()
        self.clock = Clock()
        self.events: list[Obj] = []
        self.lock = threading.RLock()
        self.on_event: Callable[[Obj], None] = lambda event: None

    # --- events -------------------------------------------------------------------------------

    def emit(self, type: str, obj: Obj, previous: Obj | None = None) -> Obj:
        """Records an event with a snapshot of the object, as webhook payloads carry it."""
        data: Obj = {"object": copy.deepcopy(obj)}
        if previous is not None:
            data["previous_attributes"] = previous
        event = {
            "id": new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": self.clock.now(),
            "data": data,
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type,
        }
        self.events.append(self.store.add(event))
        self.on_event(event)
        return event

    # --- customers, products, prices ----------------------------------------------------------

    def create_customer(self, params: Obj) -> Obj:
        customer = self.store.add(
            {
                "id": new_id("cus", 14),
                "object": "customer",
                "created": self.clock.now(),
                "email": params.get("email"),
                "name": params.get("name"),
                "description": params.get("description"),
                "metadata": metadata(params),
                "livemode": False,
                "balance": 0,
                "currency": None,
                "delinquent": False,
            }
        )
        self.emit("customer.created", customer)
        return customer

    def create_product(self, params: Obj) -> Obj:
        if not params.get("name"):
            raise required("name")
        return self.store.add(
            {
                "id": new_id("prod", 14),
                "object": "product",
                "active": True,
                "created": self.clock.now(),
                "name": params["name"],
                "description": params.get("description"),
                "metadata": metadata(params),
                "livemode": False,
            }
        )

    def create_price(self, params: Obj, param: str = "") -> Obj:
        """A price from `POST /v1/prices` or from inline `price_data` (then `param` names where it sat)."""
        currency = params.get("currency")
        if not currency:
            raise required(f"{param}currency")
        amount = as_int(params, "unit_amount")
        if amount < 0:
            raise StripeError(400, "unit_amount must be 0 or more.", param=f"{param}unit_amount")
        if params.get("product"):
            product = self.store.get("product", str(params["product"]), f"{param}product")
        elif isinstance(params.get("product_data"), dict):
            product = self.create_product(params["product_data"])
        else:
            raise required(f"{param}product")
        recurring = params.get("recurring")
        if recurring is not None:
            if recurring.get("interval") not in ("day", "week", "month", "year"):
                raise StripeError(
                    400,
                    "Invalid recurring[interval]: must be one of day, week, month, or year",
                    param=f"{param}recurring[interval]",
                )
            recurring = {
                "interval": recurring["interval"],
                "interval_count": as_int(recurring, "interval_count", default=1),
                "usage_type": "licensed",
            }
        lookup_key = params.get("lookup_key")
        if lookup_key and any(
            p.get("lookup_key") == lookup_key for p in self.store.objects.values() if p["object"] == "price"
        ):
            raise StripeError(
                400,
                f"A price (`lookup_key`) already uses the lookup key {lookup_key!r}. "
                "Pass `transfer_lookup_key=true` to move it.",
                param="lookup_key",
            )
        return self.store.add(
            {
                "id": new_id("price"),
                "object": "price",
                "active": True,
                "created": self.clock.now(),
                "currency": str(currency).lower(),
                "unit_amount": amount,
                "product": product["id"],
                "recurring": recurring,
                "type": "recurring" if recurring else "one_time",
                "lookup_key": lookup_key,
                "nickname": params.get("nickname"),
                "metadata": metadata(params),
                "livemode": False,
            }
        )

    def list_prices(self, params: Obj) -> Obj:
        keys = params.get("lookup_keys")
        page = self.store.page("price", "/v1/prices", {**params, "limit": params.get("limit", 100)})
        if keys:
            page["data"] = [p for p in page["data"] if p["lookup_key"] in keys]
        return page

    # --- Checkout -----------------------------------------------------------------------------

    def create_checkout_session(self, params: Obj) -> Obj:
        mode = params.get("mode")
        if mode not in ("payment", "subscription"):
            raise required("mode") if not mode else StripeError(400, f"Invalid mode: {mode}", param="mode")
        customer = params.get("customer")
        if customer:
            self.store.get("customer", str(customer), "customer")
        items = params.get("line_items")
        if not isinstance(items, list) or not items:
            raise required("line_items")
        lines = [self._checkout_line(i, item, mode) for i, item in enumerate(items)]
        total = sum(line["amount_total"] for line in lines)
        now = self.clock.now()
        session_id = new_id("cs_test", 58)
        session = self.store.add(
            {
                "id": session_id,
                "object": "checkout.session",
                "mode": mode,
                "status": "open",
                "payment_status": "unpaid",
                "url": f"{self.public_url}/c/pay/{session_id}",
                "success_url": params.get("success_url"),
                "cancel_url": params.get("cancel_url"),
                "client_reference_id": params.get("client_reference_id"),
                "customer": customer,
                "customer_email": params.get("customer_email"),
                "metadata": metadata(params),
                "amount_subtotal": total,
                "amount_total": total,
                "currency": lines[0]["currency"],
                "created": now,
                "expires_at": as_int(params, "expires_at", default=now + CHECKOUT_LIFETIME),
                "payment_intent": None,
                "subscription": None,
                "invoice": None,
                "livemode": False,
                "line_items": {"object": "list", "data": lines, "has_more": False},
                "_payment_intent_data": params.get("payment_intent_data") or {},
                "_subscription_data": params.get("subscription_data") or {},
            }
        )
        return session

    def _checkout_line(self, index: int, item: Obj, mode: str) -> Obj:
        where = f"line_items[{index}]"
        if item.get("price"):
            price = self.store.get("price", str(item["price"]), f"{where}[price]")
        elif isinstance(item.get("price_data"), dict):
            price = self.create_price(item["price_data"], f"{where}[price_data][")
        else:
            raise StripeError(
                400, f"You must specify either `price` or `price_data` in {where}.", param=f"{where}[price]"
            )
        if "quantity" not in item:
            raise StripeError(
                400, f"Quantity is required. Add `quantity` to `{where}`.", code="parameter_missing"
            )
        quantity = as_int(item, "quantity")
        if mode == "payment" and price["recurring"]:
            raise StripeError(
                400,
                "You specified `payment` mode but passed a recurring price. Either switch to "
                "`subscription` mode or use only one-time prices.",
                param=f"{where}[price]",
            )
        if mode == "subscription" and not price["recurring"]:
            raise StripeError(
                400,
                "You must provide at least one recurring price in `subscription` mode when using prices.",
                param=f"{where}[price]",
            )
        product = self.store.objects[price["product"]]
        return {
            "id": new_id("li"),
            "object": "item",
            "price": price,
            "quantity": quantity,
            "currency": price["currency"],
            "description": product["name"],
            "amount_subtotal": price["unit_amount"] * quantity,
            "amount_total": price["unit_amount"] * quantity,
        }

    def public_session(self, session: Obj, expand: list[str] = ()) -> Obj:  # type: ignore[assignment]
        """The session as the API shows it: line items only when expanded, private fields dropped."""
        shown = {k: v for k, v in session.items() if not k.startswith("_") and k != "line_items"}
        if "line_items" in expand:
            shown["line_items"] = session["line_items"]
        return self.store.expand(shown, [p for p in expand if p != "line_items"])

    def expire_checkout_session(self, session_id: str) -> Obj:
        session = self.store.get("checkout.session", session_id)
        if session["status"] != "open":
            raise StripeError(400, 'Only Checkout Sessions with a status in ["open"] can be expired.')
        session.update(status="expired", url=None)
        self.emit("checkout.session.expired", self.public_session(session))
        return session

    def pay_checkout_session(self, session_id: str) -> Obj:
        """What a shopper's successful payment on the hosted page does, with the events Stripe sends."""
        session = self.store.get("checkout.session", session_id)
        if session["status"] != "open":
            raise StripeError(400, f"This Checkout Session is {session['status']}; it can no longer be paid.")
        if session["expires_at"] <= self.clock.now():
            session.update(status="expired", url=None)
            self.emit("checkout.session.expired", self.public_session(session))
            raise StripeError(400, "This Checkout Session has expired.")
        if not session["customer"]:
            customer = self.create_customer({"email": session["customer_email"]})
            session["customer"] = customer["id"]
        if session["mode"] == "payment":
            data = session["_payment_intent_data"]
            intent, _charge = self.charge(
                session["customer"], session["amount_total"], session["currency"], metadata(data), ""
            )
            session["payment_intent"] = intent["id"]
        else:
            subscription, invoice = self._start_subscription(session)
            session.update(subscription=subscription["id"], invoice=invoice["id"])
        session.update(status="complete", payment_status="paid", url=None)
        self.emit("checkout.session.completed", self.public_session(session))
        return session

    # --- payments -----------------------------------------------------------------------------

    def charge(
        self, customer: str, amount: int, currency: str, meta: dict[str, str], description: str
    ) -> tuple[Obj, Obj]:
        """A succeeded PaymentIntent and its Charge (with a receipt URL)."""
        now = self.clock.now()
        intent = self.store.add(
            {
                "id": new_id("pi"),
                "object": "payment_intent",
                "amount": amount,
                "amount_received": amount,
                "currency": currency,
                "customer": customer,
                "description": description or None,
                "metadata": meta,
                "status": "succeeded",
                "created": now,
                "latest_charge": None,
                "livemode": False,
            }
        )
        charge_id = new_id("ch")
        charge = self.store.add(
            {
                "id": charge_id,
                "object": "charge",
                "amount": amount,
                "amount_captured": amount,
                "amount_refunded": 0,
                "currency": currency,
                "customer": customer,
                "payment_intent": intent["id"],
                "paid": True,
                "captured": True,
                "status": "succeeded",
                "receipt_url": f"{self.public_url}/receipts/{charge_id}",
                "description": description or None,
                "metadata": {},
                "created": now,
                "livemode": False,
            }
        )
        intent["latest_charge"] = charge_id
        self.emit("payment_intent.succeeded", intent)
        self.emit("charge.succeeded", charge)
        return intent, charge

    # --- subscriptions ------------------------------------------------------------------------

    def _start_subscription(self, session: Obj) -> tuple[Obj, Obj]:
        now = self.clock.now()
        period_end = add_month(now)
        sub_id = new_id("sub")
        items = [
            self._subscription_item(sub_id, line["price"], line["quantity"], now, period_end)
            for line in session["line_items"]["data"]
        ]
        subscription = self.store.add(
            {
                "id": sub_id,
                "object": "subscription",
                "customer": session["customer"],
                "status": "active",
                "items": {
                    "object": "list",
                    "data": items,
                    "has_more": False,
                    "url": f"/v1/subscription_items?subscription={sub_id}",
                },
                "metadata": metadata(session["_subscription_data"]),
                "cancel_at_period_end": False,
                "cancel_at": None,
                "canceled_at": None,
                "ended_at": None,
                "created": now,
                "start_date": now,
                "billing_cycle_anchor": now,
                "currency": session["currency"],
                "collection_method": "charge_automatically",
                "latest_invoice": None,
                "livemode": False,
            }
        )
        self.emit("customer.subscription.created", subscription)
        invoice = self.invoice_period(subscription, "subscription_create")
        return subscription, invoice

    def _subscription_item(self, sub_id: str, price: Obj, quantity: int, start: int, end: int) -> Obj:
        return {
            "id": new_id("si", 14),
            "object": "subscription_item",
            "subscription": sub_id,
            "price": price,
            "quantity": quantity,
            "current_period_start": start,
            "current_period_end": end,
            "created": start,
            "metadata": {},
        }

    def invoice_period(self, subscription: Obj, reason: str) -> Obj:
        """The paid invoice for the subscription's current period (its creation or a renewal)."""
        item = subscription["items"]["data"][0]
        lines = [
            self._line(subscription, i, i["price"]["unit_amount"] * i["quantity"], proration=False)
            for i in subscription["items"]["data"]
        ]
        return self._paid_invoice(subscription, reason, lines, item["current_period_start"])

    def _line(self, subscription: Obj, item: Obj, amount: int, *, proration: bool) -> Obj:
        price = item["price"]
        product = self.store.objects[price["product"]]
        description = f"{item['quantity']} x {product['name']} (at {price['unit_amount'] / 100:.2f} / month)"
        if proration:
            description = f"Remaining time on {product['name']} after upgrade"
        return {
            "id": new_id("il"),
            "object": "line_item",
            "amount": amount,
            "currency": price["currency"],
            "description": description,
            "period": {"start": item["current_period_start"], "end": item["current_period_end"]},
            "pricing": {
                "type": "price_details",
                "price_details": {"price": price["id"], "product": price["product"]},
                "unit_amount_decimal": str(price["unit_amount"]),
            },
            "quantity": item["quantity"],
            "subscription": subscription["id"],
            "parent": {
                "type": "subscription_item_details",
                "subscription_item_details": {
                    "subscription": subscription["id"],
                    "subscription_item": item["id"],
                    "proration": proration,
                },
            },
            "metadata": {},
        }

    def _paid_invoice(self, subscription: Obj, reason: str, lines: list[Obj], period_start: int) -> Obj:
        now = self.clock.now()
        total = sum(line["amount"] for line in lines)
        invoice_id = new_id("in")
        count = sum(1 for o in self.store.objects.values() if o["object"] == "invoice") + 1
        invoice = self.store.add(
            {
                "id": invoice_id,
                "object": "invoice",
                "customer": subscription["customer"],
                "status": "draft",
                "billing_reason": reason,
                "collection_method": "charge_automatically",
                "currency": subscription["currency"],
                "amount_due": total,
                "amount_paid": 0,
                "amount_remaining": total,
                "subtotal": total,
                "total": total,
                "created": now,
                "number": f"FAKE-{count:04d}",
                "description": None,
                "hosted_invoice_url": f"{self.public_url}/i/{invoice_id}",
                "invoice_pdf": f"{self.public_url}/i/{invoice_id}/pdf",
                "lines": {
                    "object": "list",
                    "data": lines,
                    "has_more": False,
                    "url": f"/v1/invoices/{invoice_id}/lines",
                },
                "parent": {
                    "type": "subscription_details",
                    "quote_details": None,
                    "subscription_details": {
                        "subscription": subscription["id"],
                        "metadata": dict(subscription["metadata"]),
                    },
                },
                "period_start": period_start,
                "period_end": period_start,
                "status_transitions": {"finalized_at": now, "paid_at": None},
                "attempted": False,
                "attempt_count": 0,
                "metadata": {},
                "livemode": False,
            }
        )
        subscription["latest_invoice"] = invoice_id
        self.emit("invoice.created", invoice)
        invoice["status"] = "open"
        self.emit("invoice.finalized", invoice)
        if total > 0:
            self.charge(
                subscription["customer"], total, invoice["currency"], {}, f"Invoice {invoice['number']}"
            )
        invoice.update(status="paid", amount_paid=total, amount_remaining=0, attempted=True, attempt_count=1)
        invoice["status_transitions"]["paid_at"] = now
        self.emit("invoice.paid", invoice)
        self.emit("invoice.payment_succeeded", invoice)
        return invoice

    def update_subscription(self, subscription_id: str, params: Obj) -> Obj:
        """Price changes (`items[0][id]` + `items[0][price]`) with `proration_behavior`; cancel at period end."""
        subscription = self.store.get("subscription", subscription_id)
        if subscription["status"] == "canceled":
            raise StripeError(
                400,
                "A canceled subscription can only update its cancellation_details and metadata.",
                param="items" if "items" in params else None,
            )
        previous: Obj = {}
        if "metadata" in params:
            previous["metadata"] = dict(subscription["metadata"])
            subscription["metadata"].update(metadata(params))
        if "cancel_at_period_end" in params:
            wanted = as_bool(params, "cancel_at_period_end")
            if wanted != subscription["cancel_at_period_end"]:
                previous.update(
                    cancel_at_period_end=subscription["cancel_at_period_end"],
                    cancel_at=subscription["cancel_at"],
                )
                end = subscription["items"]["data"][0]["current_period_end"]
                subscription.update(
                    cancel_at_period_end=wanted,
                    cancel_at=end if wanted else None,
                    canceled_at=self.clock.now() if wanted else None,
                )
        behaviour = params.get("proration_behavior", "create_prorations")
        if behaviour not in ("create_prorations", "always_invoice", "none"):
            raise StripeError(400, f"Invalid proration_behavior: {behaviour}", param="proration_behavior")
        proration: list[Obj] = []
        for index, change in enumerate(params.get("items") or []):
            proration += self._change_item(subscription, index, change, behaviour, previous)
        if previous:
            self.emit("customer.subscription.updated", subscription, previous)
        if proration and behaviour == "always_invoice":
            start = subscription["items"]["data"][0]["current_period_start"]
            self._paid_invoice(subscription, "subscription_update", proration, start)
        return subscription

    def _change_item(
        self, subscription: Obj, index: int, change: Obj, behaviour: str, previous: Obj
    ) -> list[Obj]:
        items = subscription["items"]["data"]
        item = next((i for i in items if i["id"] == change.get("id")), None)
        if item is None:
            raise StripeError(
                400,
                f"Subscription item {change.get('id')!r} does not belong to subscription {subscription['id']}.",
                param=f"items[{index}][id]",
            )
        if not change.get("price"):
            return []
        price = self.store.get("price", str(change["price"]), f"items[{index}][price]")
        if not price["recurring"]:
            raise StripeError(
                400, "The price must be recurring for a subscription.", param=f"items[{index}][price]"
            )
        old = item["price"]
        previous.setdefault("items", copy.deepcopy(subscription["items"]))
        item["price"] = price
        if behaviour == "none":
            return []
        now = self.clock.now()
        start, end = item["current_period_start"], item["current_period_end"]
        remaining = max(0, end - now) / max(1, end - start)
        difference = round((price["unit_amount"] - old["unit_amount"]) * item["quantity"] * remaining)
        return [self._line(subscription, item, difference, proration=True)] if difference > 0 else []

    def cancel_subscription(self, subscription_id: str) -> Obj:
        subscription = self.store.get("subscription", subscription_id)
        if subscription["status"] == "canceled":
            raise StripeError(
                400,
                f"No such subscription: '{subscription_id}'; it is already canceled.",
                code="resource_missing",
            )
        now = self.clock.now()
        subscription.update(status="canceled", ended_at=now, canceled_at=subscription["canceled_at"] or now)
        self.emit("customer.subscription.deleted", subscription)
        return subscription

    def end_period(self, subscription_id: str) -> Obj:
        """Moves the clock to the period's end: the subscription renews (a paid invoice) or ends."""
        subscription = self.store.get("subscription", subscription_id)
        end = subscription["items"]["data"][0]["current_period_end"]
        self.clock.advance_to(end)
        if subscription["cancel_at_period_end"]:
            return self.cancel_subscription(subscription_id)
        previous = {"items": copy.deepcopy(subscription["items"])}
        for item in subscription["items"]["data"]:
            item.update(current_period_start=end, current_period_end=add_month(end))
        self.emit("customer.subscription.updated", subscription, previous)
        self.invoice_period(subscription, "subscription_cycle")
        return subscription
