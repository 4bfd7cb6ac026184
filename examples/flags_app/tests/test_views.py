from waffle.testutils import override_flag


@override_flag("legacy_pricing", active=True)
def test_home_shows_legacy_prices(client):
    assert b"legacy prices" in client.get("/").content


@override_flag("legacy_pricing", active=False)
def test_home_shows_prices(client):
    assert b"prices" in client.get("/").content


def test_reports_need_the_flag(client):
    with override_flag("admin_reports", active=False):
        assert client.get("/reports/").status_code == 404
