def test_landing_page_is_public(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "have to do this alone." in response.content.decode()


def test_home_requires_login(client, db):
    response = client.get("/home/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_member_sees_home(client_of, member):
    assert client_of(member).get("/home/").status_code == 200
