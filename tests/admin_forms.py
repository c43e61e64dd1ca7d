"""Posting an admin change form as a browser would, for the admin tests."""


def admin_form_data(client, url) -> dict:
    """A change form's data as the browser would post it (inlines included): each
    field's bound value, without the empty ones."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value
    for formset in response.context.get("inline_admin_formsets", []):
        fs = formset.formset
        for key, value in fs.management_form.initial.items():
            data[f"{fs.prefix}-{key}"] = value
        for f in fs.forms:
            for name in f.fields:
                value = f[name].value()
                if value is not None:
                    data[f.add_prefix(name)] = value
    return {k: v for k, v in data.items() if v != [] and v is not None}


def messages_of(response) -> str:
    """The admin's flash messages on a rendered response."""
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def errors_of(response) -> str:
    """A change form's errors, its inlines' included."""
    errors = response.context["errors"] or []
    return " ".join(str(e) for e in errors) + " ".join(
        str(f.errors) for fs in response.context.get("inline_admin_formsets", []) for f in fs.formset.forms)
