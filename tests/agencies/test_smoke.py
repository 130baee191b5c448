def test_me_answers_for_a_client(api):
    client = api("USCIS", "referrals:read")
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["agency"]["code"] == "USCIS"
    assert response.json()["scopes"] == ["referrals:read"]
