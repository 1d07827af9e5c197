"""document.quick_init: the frozen Document classes build as dataclasses would."""
import dataclasses
import inspect

import pytest

from ingest.document import Cell, Line, Location, Paragraph, quick_init


@pytest.mark.parametrize("cls", [Location, Cell, Paragraph, Line])
def test_same_parameters_and_defaults_as_the_dataclass(cls):
    params = list(inspect.signature(cls).parameters.values())
    fields = [f for f in dataclasses.fields(cls) if f.init]
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields):
        expected = inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
        assert p.default == expected and p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD


def test_instances_stay_frozen_equal_and_hashable():
    a = Cell(1, 2, "合计", location=Location("3", "1.0,2.0,3.0,4.0"))
    b = Cell(1, 2, "合计", location=Location("3", "1.0,2.0,3.0,4.0"))
    assert a == b and hash(a) == hash(b) and a.row_span == 1 and a.x0 is None
    assert Cell(0, 0, "").location == Location()
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.text = "小计"
    with pytest.raises(TypeError):
        Location(None, "L1", 0.5, "extra")


def test_refuses_fields_its_init_would_get_wrong():
    @dataclasses.dataclass(frozen=True, slots=True)
    class WithFactory:
        items: list = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError):
        quick_init(WithFactory)


def test_a_field_that_is_no_parameter_gets_its_default():
    @quick_init
    @dataclasses.dataclass(frozen=True, slots=True)
    class WithHidden:
        shown: int
        hidden: object = dataclasses.field(default=None, init=False, compare=False)

    assert list(inspect.signature(WithHidden).parameters) == ["shown"]
    assert WithHidden(3).hidden is None and WithHidden(3) == WithHidden(3)

    @dataclasses.dataclass(frozen=True, slots=True)
    class HiddenWithoutDefault:
        hidden: int = dataclasses.field(init=False)

    with pytest.raises(TypeError):
        quick_init(HiddenWithoutDefault)
