"""Voting: the code, the ballot, its live summary, the receipt, and replacing a ballot.

The voting code travels only in the body of POST requests (a hidden input of the ballot
form), never in the session or a URL, and every page that holds a code or a receipt is sent
with ``Cache-Control: no-store``. Each step asks the services, so a wrong, used or
rate-limited code is refused here exactly as through the API.
"""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from ...choices import Phase, VotingMethod
from ...forms_public import BallotForm, ReceiptForm, VotingCodeForm
from ...services import (
    AlreadyVoted,
    VotingClosed,
    ballot_cast,
    ballot_options,
    ballot_replace,
    ballot_validate,
    receipt_ballot,
    voting_account_check,
    voting_code_check,
)
from ...throttle import TooManyGuesses, client_key
from .common import closed_page, edition_for, method_explained, private, too_many_guesses

CAST = "cast"


def _field_errors(exc: ValidationError, field: str) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for m in ValidationError(exc.error_dict.get(field, [])).messages]
    return []


def _account_voting(request, edition) -> bool:
    return edition.account_voting and request.user.is_authenticated


def _vote_page(request, edition, form=None, *, errors=(), status=200):
    """The first step: enter a voting code, or vote with a verified account."""
    return private(
        render(
            request,
            "budgeting/public/vote.html",
            {
                "edition": edition,
                "form": form or VotingCodeForm(),
                "account_errors": list(errors),
                "may_use_account": _account_voting(request, edition),
                "method_explained": method_explained(edition),
            },
            status=status,
        )
    )


def _ballot_page(request, edition, form: BallotForm, *, carry: dict, action: str, status=200):
    """The ballot: the options of the voter's zone, the live summary, what is carried along."""
    return private(
        render(
            request,
            "budgeting/public/ballot.html",
            {
                "edition": edition,
                "form": form,
                "summary": form.summary(),
                "carry": carry,
                "action": action,
                "replacing": "receipt" in carry,
                "method_explained": method_explained(edition),
                "cumulative": edition.method == VotingMethod.CUMULATIVE,
                "on_headings": edition.votes_on_headings,
            },
            status=status,
        )
    )


def _receipt_page(request, edition, receipt: str, *, replaced: bool):
    return private(
        render(
            request,
            "budgeting/public/receipt.html",
            {"edition": edition, "receipt": receipt, "replaced": replaced},
        )
    )


@require_http_methods(["GET"])
def vote(request, edition):
    """Where a voter starts: a voting code, or their verified account."""
    edition = edition_for(request, edition)
    if not request.user.has_perm("budgeting.vote", edition):
        return closed_page(request, edition, Phase.VOTING)
    return _vote_page(request, edition)


def _voter(request, edition) -> tuple[dict, object]:
    """Who is voting, from the POST: what to carry in the ballot form, and their zone.

    Raises the services' errors for a wrong, used or rate-limited code or account. An empty
    code is refused here, before the services, so it never counts as a wrong guess.
    """
    if request.POST.get("account"):
        if not _account_voting(request, edition):
            raise ValidationError({"code": _("Log in with a verified account to vote with it.")})
        zone = voting_account_check(edition=edition, user=request.user)
        return {"account": "1"}, zone
    code = request.POST.get("code", "")
    if not code.strip():
        raise ValidationError(
            {"code": VotingCodeForm.base_fields["code"].error_messages["required"]}
        )
    zone = voting_code_check(edition=edition, code=code, client=client_key(request))
    return {"code": code}, zone


@require_http_methods(["GET", "POST"])
def ballot(request, edition):
    """Check the code (first POST), then show the ballot; cast it (second POST)."""
    edition = edition_for(request, edition)
    if request.method == "GET":  # the code never goes in a URL: start again
        return redirect("budgeting:vote", edition=edition.pk)
    if not request.user.has_perm("budgeting.vote", edition):
        return closed_page(request, edition, Phase.VOTING)
    code_form = VotingCodeForm(request.POST)
    try:
        carry, zone = _voter(request, edition)
    except TooManyGuesses as exc:
        return too_many_guesses(request, edition, exc)
    except VotingClosed:
        return closed_page(request, edition, Phase.VOTING)
    except ValidationError as exc:
        return _code_refused(request, edition, code_form, exc)
    action = reverse("budgeting:ballot", kwargs={"edition": edition.pk})
    options = ballot_options(edition, zone)
    if request.POST.get("step") != CAST:
        return _ballot_page(
            request, edition, BallotForm(edition, options), carry=carry, action=action
        )
    form = BallotForm(edition, options, data=request.POST)
    voter = {"user": request.user} if "account" in carry else {"code": carry["code"]}
    try:
        receipt = ballot_cast(
            edition=edition, **voter, **form.service_kwargs(), client=client_key(request)
        )
    except TooManyGuesses as exc:
        return too_many_guesses(request, edition, exc)
    except VotingClosed:
        return closed_page(request, edition, Phase.VOTING)
    except ValidationError as exc:
        if _field_errors(exc, "code"):
            return _code_refused(request, edition, code_form, exc)
        form.add_error(exc)
        return _ballot_page(request, edition, form, carry=carry, action=action, status=400)
    return _receipt_page(request, edition, receipt, replaced=False)


def _code_refused(request, edition, code_form, exc):
    """Back to the first step with the service's message on the code (or the account)."""
    messages = _field_errors(exc, "code") or list(exc.messages)
    if request.POST.get("account"):
        if isinstance(exc, AlreadyVoted):
            messages = [_("Your account has already been used to vote in this edition.")]
        return _vote_page(request, edition, errors=messages, status=400)
    code_form.is_valid()
    if "code" not in code_form.errors:
        code_form.add_error("code", messages)
    return _vote_page(request, edition, code_form, status=400)


@require_POST
def ballot_check(request, edition):
    """The live summary of a ballot being filled (htmx): count, money or points left."""
    edition = edition_for(request, edition)
    if not request.user.has_perm("budgeting.vote", edition):
        return HttpResponse(status=403)
    client = client_key(request)
    try:
        if request.POST.get("receipt"):
            receipt = request.POST["receipt"]
            zone = receipt_ballot(edition=edition, receipt=receipt, client=client).zone
        else:
            _carry, zone = _voter(request, edition)
    except TooManyGuesses as exc:
        response = HttpResponse(str(exc.message), status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except (ValidationError, VotingClosed):
        return HttpResponse(status=204)  # nothing to update; the submit will say what is wrong
    form = BallotForm(edition, ballot_options(edition, zone), data=request.POST)
    summary = form.summary()
    if summary["count"]:
        try:
            ballot_validate(edition=edition, zone=zone, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(exc)
    return private(
        render(
            request,
            "budgeting/public/partials/_ballot_summary.html",
            {"edition": edition, "summary": summary, "warnings": form.errors},
        )
    )


@require_http_methods(["GET", "POST"])
def replace(request, edition):
    """Replace a ballot while voting is open: the receipt, the prefilled ballot, a new receipt."""
    edition = edition_for(request, edition)
    if not request.user.has_perm("budgeting.vote", edition):
        return closed_page(request, edition, Phase.VOTING)
    if request.method == "GET":
        return _receipt_form_page(request, edition, ReceiptForm())
    receipt_form = ReceiptForm(request.POST)
    if not receipt_form.is_valid():
        return _receipt_form_page(request, edition, receipt_form, status=400)
    receipt = receipt_form.cleaned_data["receipt"]
    client = client_key(request)
    try:
        current = receipt_ballot(edition=edition, receipt=receipt, client=client)
    except TooManyGuesses as exc:
        return too_many_guesses(request, edition, exc)
    except ValidationError as exc:
        receipt_form.add_error("receipt", _field_errors(exc, "receipt") or exc.messages)
        return _receipt_form_page(request, edition, receipt_form, status=400)
    options = ballot_options(edition, current.zone)
    carry = {"receipt": receipt}
    action = reverse("budgeting:replace", kwargs={"edition": edition.pk})
    if request.POST.get("step") != CAST:
        form = BallotForm(edition, options, initial=current.choices)
        return _ballot_page(request, edition, form, carry=carry, action=action)
    form = BallotForm(edition, options, data=request.POST)
    try:
        new_receipt = ballot_replace(
            edition=edition, receipt=receipt, **form.service_kwargs(), client=client
        )
    except TooManyGuesses as exc:
        return too_many_guesses(request, edition, exc)
    except VotingClosed:
        return closed_page(request, edition, Phase.VOTING)
    except ValidationError as exc:
        if _field_errors(exc, "receipt"):
            receipt_form.add_error("receipt", _field_errors(exc, "receipt"))
            return _receipt_form_page(request, edition, receipt_form, status=400)
        form.add_error(exc)
        return _ballot_page(request, edition, form, carry=carry, action=action, status=400)
    return _receipt_page(request, edition, new_receipt, replaced=True)


def _receipt_form_page(request, edition, form, *, status=200):
    return private(
        render(
            request,
            "budgeting/public/replace.html",
            {"edition": edition, "form": form},
            status=status,
        )
    )
