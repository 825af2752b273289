"""A component answers how far past an event its lines reach; what-if's horizon asks every component."""

from types import SimpleNamespace

from compcalc.components.spif import Spif
from compcalc.components.tcv_commission import TcvCommission
from compcalc.whatif.measures import horizon


def _tcv(months, cadence):
    return TcvCommission(id="tcv", rate="0.10", vesting={"months": months, "cadence": cadence})


def test_tcv_commission_reaches_its_last_installment():
    assert _tcv(12, "monthly").horizon_months() == 12
    # quarterly: ceil(10 / 3) = 4 installments at close+3 … close+12
    assert _tcv(10, "quarterly").horizon_months() == 12
    assert _tcv(0, "monthly").horizon_months() == 0


def test_a_component_without_a_schedule_reaches_nothing_later():
    spif = Spif.model_validate({"id": "s", "amount": "500.00", "from": "2027-01-01", "to": "2027-03-31"})
    assert spif.horizon_months() == 0


def test_whatif_horizon_is_36_months_or_the_longest_schedule():
    plans = {"a": SimpleNamespace(components=(_tcv(12, "monthly"),)),
             "b": SimpleNamespace(components=(_tcv(40, "quarterly"),))}
    assert horizon(plans) == 42
    assert horizon({"a": plans["a"]}) == 36
    assert horizon({}) == 36
