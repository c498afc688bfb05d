from tests.factories.seizures import SeizureFactory, WarrantFactory


def test_pages_render(analyst_client):
    warrant = WarrantFactory()
    seizure = SeizureFactory(warrant=warrant)
    for url in [
        "/seizures/",
        f"/seizures/{seizure.pk}/",
        "/seizures/new/",
        f"/seizures/{seizure.pk}/edit/",
        f"/seizures/{seizure.pk}/withdraw/",
        f"/seizures/{seizure.pk}/reprice/",
        "/warrants/",
        f"/warrants/{warrant.pk}/",
        "/warrants/new/",
        f"/warrants/{warrant.pk}/edit/",
        f"/warrants/{warrant.pk}/withdraw/",
        "/street-prices/",
        "/seizures/?_export=csv",
        "/seizures/?_export=xlsx",
        "/warrants/?_export=csv",
        "/api/v1/seizures/",
        f"/api/v1/seizures/{seizure.pk}/",
        "/api/v1/warrants/",
        "/api/v1/drugs/",
        "/api/v1/street-prices/",
        "/api/v1/drugs/cocaine/",
    ]:
        response = analyst_client.get(url)
        assert response.status_code == 200, (url, response.content[:3000])
