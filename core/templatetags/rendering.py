"""{% rendered_once form %}…{% endrendered_once %}: a form's fields rendered once, then from the cache.

The block must show the form and nothing else that varies (no CSRF token, no user): its HTML
is kept under the form's `rendering_key()` (core.forms.RenderedOnce) and the block's place in
its template. A form without a key, or whose key is None (a bound form holding a person's
details), is rendered every time."""

from django import template
from django.core.cache import cache

register = template.Library()

RENDERED_FORM_SECONDS = 60 * 60


class RenderedOnceNode(template.Node):
    def __init__(self, nodelist, form):
        self.nodelist = nodelist
        self.form = form

    def render(self, context):
        form = self.form.resolve(context)
        key = form.rendering_key() if hasattr(form, "rendering_key") else None
        if key is None:
            return self.nodelist.render(context)
        key = f"{key}:{self.origin.name}:{self.token.position}"
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, RENDERED_FORM_SECONDS)
        return html


@register.tag
def rendered_once(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% rendered_once form %} takes the form only")
    nodelist = parser.parse(("endrendered_once",))
    parser.delete_first_token()
    return RenderedOnceNode(nodelist, parser.compile_filter(bits[1]))
