import pytest
pytestmark = pytest.mark.django_db

def test_smoke(anonym):
    r = anonym.get("/planer/2019/jamfor/2017/")
    open("/tmp/rep/compare.html","wb").write(r.content)
    assert r.status_code == 200
    r = anonym.get("/planer/2019/arsredovisning/")
    open("/tmp/rep/ar.html","wb").write(r.content)
    assert r.status_code == 200
    r = anonym.get("/planer/2019/arsredovisning/pdf/")
    open("/tmp/rep/ar.pdf","wb").write(r.content)
    r = anonym.get("/planer/2019/pdf/?jamfor=2017")
    open("/tmp/rep/plan.pdf","wb").write(r.content)
    assert r.status_code == 200
