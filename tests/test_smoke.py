from tests.conftest import login


def test_every_demo_user_sees_their_start_page(demo):
    for username in ("anna", "erik", "ulla", "sara", "admin"):
        client = demo.test_client()
        assert login(client, username).status_code == 302
        page = client.get("/")
        assert page.status_code == 200
        assert "Hej " in page.get_data(as_text=True)
