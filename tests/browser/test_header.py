"""The header on the primary blue: every link and button legible, focus visible, no empty
band, for a visitor and each role, on a desktop and on a phone."""

import pytest

WIDTHS = [1280, 375]

# Colours as the browser computes them, the background being the first opaque one found by
# walking up from the element (transparent layers are blended in on the way).
READ_COLOURS = """
(element) => {
  const parse = (value) => {
    const parts = value.match(/[\\d.]+/g).map(Number);
    return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const layers = [];
  for (let node = element; node; node = node.parentElement) {
    const background = parse(getComputedStyle(node).backgroundColor);
    if (background.a > 0) layers.push(background);
    if (background.a >= 1) break;
  }
  let background = {r: 255, g: 255, b: 255, a: 1};
  for (const layer of layers.reverse()) background = over(layer, background);
  const text = over(parse(getComputedStyle(element).color), background);
  const box = element.getBoundingClientRect();
  return {
    name: element.innerText.trim(),
    text: [text.r, text.g, text.b],
    background: [background.r, background.g, background.b],
    top: box.top + window.scrollY,
    bottom: box.bottom + window.scrollY,
    width: box.width,
  };
}
"""


def luminance(rgb) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value) for value in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first, second) -> float:
    """The WCAG 2 contrast ratio of two colours."""
    lighter, darker = sorted([luminance(first), luminance(second)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def header_items(page):
    items = page.locator(".site-header").locator("a, button, .brand__name, .brand__tagline")
    return [
        colours
        for colours in (items.nth(i).evaluate(READ_COLOURS) for i in range(items.count()))
        if colours["width"] > 1  # not the visually hidden ones
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_header_link_is_legible_and_no_band_of_the_header_is_empty(
    page, person, sign_in_as, width
):
    if person is not None:
        sign_in_as(page, person)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/accounts/profile/" if person else "/")

    items = header_items(page)
    names = [item["name"] for item in items]
    expected = ["Appels à projets", "Se déconnecter"] if person else ["Appels à projets"]
    assert set(expected) <= set(names), names
    illegible = {
        item["name"]: round(contrast(item["text"], item["background"]), 2)
        for item in items
        if contrast(item["text"], item["background"]) < 4.5
    }
    assert illegible == {}, f"contrast below 4.5:1 at {width} px"

    # From the header's top edge to its bottom edge, every band holds some legible text:
    # no gap taller than the header's own padding.
    header = page.locator(".site-header").bounding_box()
    reached, gaps = header["y"], []
    for item in sorted(items, key=lambda item: item["top"]):
        gaps.append(item["top"] - reached)
        reached = max(reached, item["bottom"])
    gaps.append(header["y"] + header["height"] - reached)
    assert max(gaps) <= 24, f"an empty band of {max(gaps):.0f} px in the header at {width} px"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_keyboard_focus_on_the_header_is_visible(page, officer, sign_in_as, width):
    sign_in_as(page, officer)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/accounts/profile/")
    header_blue = page.locator(".site-header").evaluate(READ_COLOURS)["background"]

    seen = []
    for _ in range(16):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        if not focused.evaluate("(element) => !!element.closest('.site-nav')"):
            continue
        colours = focused.evaluate(READ_COLOURS)
        seen.append(colours["name"])
        # The focused link reads well on its focus background, which stands out from the blue.
        assert contrast(colours["text"], colours["background"]) >= 4.5, colours
        assert contrast(colours["background"], header_blue) >= 3, colours

    assert "Tableau de bord" in seen and "Se déconnecter" in seen
