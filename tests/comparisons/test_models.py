import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from factories import (
    CitationFactory,
    ClaimFactory,
    FeatureFactory,
    PlatformFactory,
    ReleaseFactory,
    SourceFactory,
)

from comparisons.models import Citation, Claim, Source

pytestmark = pytest.mark.django_db


def test_publish_is_refused_without_a_supporting_citation():
    claim = ClaimFactory()
    CitationFactory(claim=claim, stance=Citation.Stance.CONTRADICTS)
    with pytest.raises(ValidationError, match="at least one supporting citation"):
        claim.publish()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT


def test_publish_with_a_supporting_citation_records_the_reviewer(django_user_model):
    curator = django_user_model.objects.create_user("curator")
    claim = CitationFactory().claim
    claim.publish(user=curator)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED
    assert claim.reviewed_by == curator
    assert claim.reviewed_at is not None


def test_database_refuses_a_partial_claim_without_note():
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(support=Claim.Support.PARTIAL, note="")


def test_database_refuses_two_current_releases():
    platform = PlatformFactory()
    ReleaseFactory(platform=platform, is_current=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReleaseFactory(platform=platform, is_current=True)


def test_database_refuses_a_non_http_source_url():
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(url="javascript:alert(1)")


def test_database_refuses_a_duplicate_claim():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(release_from=claim.release_from, feature=claim.feature)


def test_clean_refuses_a_release_of_another_platform():
    claim = ClaimFactory()
    claim.release_from = ReleaseFactory()
    with pytest.raises(ValidationError) as info:
        claim.full_clean()
    assert "release_from" in info.value.message_dict


def test_release_range_label():
    platform = PlatformFactory()
    mid = ReleaseFactory(platform=platform, version="8.0", position=2, is_current=False)
    ReleaseFactory(platform=platform, version="9.0", position=3, is_current=True)
    claim = ClaimFactory(release_from=mid)
    assert claim.release_label == "8.0+"
    claim.release_until = mid
    assert claim.release_label == "8.0"


def test_every_change_to_a_claim_is_in_its_history(django_user_model):
    claim = ClaimFactory(note="first")
    claim.note = "second"
    claim.save()
    assert [h.note for h in claim.history.order_by("history_date")] == ["first", "second"]


def test_stale_source_after_twelve_months():
    source = SourceFactory(checked=datetime.date(2025, 1, 1))
    assert source.is_stale(today=datetime.date(2026, 11, 26))
    assert not source.is_stale(today=datetime.date(2025, 6, 1))


def test_only_a_copy_names_the_page_it_copies():
    canonical = SourceFactory.build(archive_of="https://example.org/original")
    with pytest.raises(ValidationError, match="Only a mirror or archive copy"):
        canonical.clean()
    copy = SourceFactory.build(kind=Source.Kind.MIRROR, archive_of="https://example.org/original")
    copy.clean()


def test_no_documented_limit_is_for_number_features_without_a_value():
    claim = ClaimFactory(support=Claim.Support.NO_LIMIT)
    with pytest.raises(ValidationError, match="only for number features"):
        claim.clean()
    claim.feature = FeatureFactory(kind="number", unit="TB", better="higher")
    claim.value = 62
    with pytest.raises(ValidationError, match="has no value"):
        claim.clean()
    claim.value = None
    claim.clean()


def test_stale_claims_are_those_whose_newest_source_check_is_over_a_year_old():
    today = datetime.date(2026, 12, 2)
    old = CitationFactory(source=SourceFactory(checked=datetime.date(2025, 11, 1))).claim
    mixed = CitationFactory(source=SourceFactory(checked=datetime.date(2025, 11, 1))).claim
    CitationFactory(claim=mixed, source=SourceFactory(checked=datetime.date(2026, 6, 1)))
    assert list(Claim.objects.stale(today)) == [old]
