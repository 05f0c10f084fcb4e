"""Billing: Stripe Checkout for top-ups and plans, plan changes, cancelling, invoices, and Stripe's webhook."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import anyio.to_thread
from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field, model_validator

from gateway.deps import CurrentUser, IdempotencyKey, StudioDep
from gateway.problems import problem_responses
from infra.payments.payments import Payer, Payments, payments_for

router = APIRouter(prefix="/api/billing", tags=["billing"])


class CheckoutIn(BaseModel):
    """What to buy: a credit top-up, or a subscription to a paid plan."""

    kind: Literal["topup", "subscription"]
    topup_id: str | None = Field(None, description="with kind=topup, e.g. topup-10")
    plan_id: str | None = Field(None, description="with kind=subscription, e.g. pro")

    @model_validator(mode="after")
    def _names_what(self) -> CheckoutIn:
        if self.kind == "topup" and not self.topup_id:
            raise ValueError("A top-up checkout needs topup_id (GET /api/plans lists the top-ups).")
        if self.kind == "subscription" and not self.plan_id:
            raise ValueError("A subscription checkout needs plan_id (GET /api/plans lists the plans).")
        return self


class CheckoutOut(BaseModel):
    checkout_url: str = Field(description="open this page to pay (Stripe Checkout)")
    session_id: str


class PlanIn(BaseModel):
    plan_id: str


class PlanOut(BaseModel):
    plan_id: str
    effective_at: datetime | None = Field(
        description="now for an upgrade, the period's end for a downgrade, null until a new subscription is paid"
    )
    checkout_url: str | None = Field(None, description="pay here first when there is no subscription yet")
    session_id: str | None = None


class CancelOut(BaseModel):
    ends_at: datetime = Field(description="the paid plan stays until then; then the free plan applies")


class InvoiceOut(BaseModel):
    id: str
    at: datetime
    amount_cents: int
    currency: str
    description: str
    receipt_url: str | None
    invoice_url: str | None
    status: str


class InvoicesOut(BaseModel):
    items: list[InvoiceOut]


class WebhookOut(BaseModel):
    received: bool = True
    result: str


def _payer(caller: CurrentUser) -> Payer:
    return Payer(caller.id, caller.email, caller.display_name)


def _payments(studio: StudioDep) -> Payments:
    return payments_for(studio)


@router.post("/checkout", summary="Start a Stripe Checkout", responses=problem_responses(400, 401, 403, 409, 422))
def checkout(body: CheckoutIn, caller: CurrentUser, studio: StudioDep, key: IdempotencyKey = None) -> CheckoutOut:
    """Creates a Checkout page for a top-up or a plan; open `checkout_url` to pay. Credits or the plan
    arrive when Stripe confirms the payment."""
    payments = _payments(studio)
    idempotency = str(key) if key else None
    if body.kind == "topup":
        link = payments.checkout_topup(_payer(caller), body.topup_id or "", idempotency)
    else:
        link = payments.checkout_subscription(_payer(caller), body.plan_id or "", idempotency)
    return CheckoutOut(checkout_url=link.url, session_id=link.session_id)


@router.post("/plan", summary="Change plan", responses=problem_responses(400, 401, 409, 422))
def change_plan(body: PlanIn, caller: CurrentUser, studio: StudioDep, key: IdempotencyKey = None) -> PlanOut:
    """An upgrade takes effect at once (the difference is invoiced, prorated); a downgrade at the end of
    the paid period. Without a subscription, answers a Checkout page to pay first."""
    outcome = _payments(studio).change_plan(_payer(caller), body.plan_id, str(key) if key else None)
    return PlanOut(
        plan_id=outcome.plan,
        effective_at=outcome.effective_at,
        checkout_url=outcome.checkout.url if outcome.checkout else None,
        session_id=outcome.checkout.session_id if outcome.checkout else None,
    )


@router.post("/cancel", summary="Cancel the subscription", responses=problem_responses(400, 401, 409))
def cancel(caller: CurrentUser, studio: StudioDep) -> CancelOut:
    """Cancels at the end of the paid period: the plan and its credits stay until `ends_at`."""
    return CancelOut(ends_at=_payments(studio).cancel(_payer(caller)))


@router.get("/invoices", summary="My invoices and receipts", responses=problem_responses(401))
def invoices(caller: CurrentUser, studio: StudioDep) -> InvoicesOut:
    """Paid subscription invoices and top-ups, newest first, with links to the invoice and receipt."""
    found = _payments(studio).invoices(caller.id)
    return InvoicesOut(items=[InvoiceOut.model_validate(i, from_attributes=True) for i in found])


@router.post(
    "/stripe/webhook",
    summary="Stripe webhook endpoint",
    responses=problem_responses(400),
    openapi_extra={"security": []},
)
async def stripe_webhook(
    request: Request,
    studio: StudioDep,
    signature: Annotated[str | None, Header(alias="Stripe-Signature")] = None,
) -> WebhookOut:
    """Receives Stripe events, verified by the Stripe-Signature header; a repeated event changes nothing."""
    payload = await request.body()
    payments = _payments(studio)
    result = await anyio.to_thread.run_sync(payments.receive_webhook, payload, signature)
    return WebhookOut(result=result)
