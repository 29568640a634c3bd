from rest_framework_csv.renderers import CSVRenderer

from jeonju_center.common.spreadsheets import neutralize_row


class ExcelFriendlyCSVRenderer(CSVRenderer):
    """``?format=csv``: one flat row per result (nested fields as ``a.b`` columns), in field order,
    UTF-8 with a BOM so Excel opens Korean text correctly."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def tablize(self, data, header=None, labels=None):
        # Every cell, the header row included, as data: never a formula when opened in Excel.
        for row in super().tablize(data, header=header, labels=labels):
            yield neutralize_row(row)

    def render(self, data, media_type=None, renderer_context=None):
        renderer_context = dict(renderer_context or {})
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        rows = data if isinstance(data, list) else [data]
        if rows and "header" not in renderer_context:
            renderer_context["header"] = list(
                dict.fromkeys(k for row in self.flatten_data(rows) for k in row)
            )
        body = super().render(rows, media_type, renderer_context)
        if isinstance(body, str):
            body = body.encode("utf-8")
        return b"\xef\xbb\xbf" + body
