from tests.referrals.conftest import cbp, ice, make_referral, uscis  # noqa: F401 - fixtures
