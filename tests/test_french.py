from course_utils.french import duration, number, percent


def test_numbers_use_decimal_comma_and_thin_spaces():
    assert number(60.456) == "60,5" and number(0.8312, 3) == "0,831"
    assert number(12345) == "12\u202f345" and number(1234.5) == "1\u202f234,5"
    assert number("MiniLM") == "MiniLM" and number(True) == "True"


def test_percent_and_duration():
    assert percent(0.1384) == "13,8\u202f%"
    assert duration(48.4) == "48 s" and duration(185) == "3 min 05 s"
