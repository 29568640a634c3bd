from drf_spectacular.openapi import AutoSchema


class PortalAutoSchema(AutoSchema):
    """Public reads (course catalogue, districts) work without a key: mark the key optional there."""

    def get_auth(self):
        auth = super().get_auth()
        if getattr(self.view, "public_read", False) and self.method in {"GET", "HEAD"} and {} not in auth:
            auth = [*auth, {}]
        return auth


ERROR_SCHEMA = {
    "type": "object",
    "description": "모든 오류 응답의 형식",
    "properties": {
        "code": {
            "type": "string",
            "description": "오류 코드 (예: invalid, not_authenticated, permission_denied)",
        },
        "detail": {"type": "string", "description": "사람이 읽을 설명"},
        "errors": {
            "type": "object",
            "description": "필드별 오류 메시지",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "detail", "errors"],
}
ERROR_RESPONSES = {
    "400": "입력값 오류 (필드별 메시지)",
    "401": "API 키 없음·잘못됨·만료·폐기",
    "403": "권한(scope) 없음",
    "404": "없음",
    "405": "지원하지 않는 메서드",
    "409": "충돌 (Idempotency-Key 재사용 등)",
    "429": "요청 한도 초과 (Retry-After 헤더)",
}


LOCAL_TIME = {
    "type": "string",
    "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$",
    "description": "현지 시각 HH:MM:SS (Asia/Seoul)",
}


def _local_times(node):
    """Times of day are local wall-clock times without an offset, which OpenAPI's "time" format
    (RFC 3339) does not allow; describe them with a pattern instead."""
    if isinstance(node, dict):
        if node.get("format") == "time":
            node.pop("format")
            for key, value in LOCAL_TIME.items():
                node.setdefault(key, value)
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)


def add_error_responses(result, generator, request, public):
    """Post-processing hook: document the one error shape for every status an operation can answer."""
    _local_times(result)
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            takes_format = any(p.get("name") == "format" for p in operation.get("parameters", []))
            if method == "get" and takes_format and "200" in responses:
                responses["200"].setdefault("content", {})["text/csv"] = {
                    "schema": {"type": "string", "description": "?format=csv: UTF-8 (BOM), 평면화된 열"}
                }
            for status, description in ERROR_RESPONSES.items():
                if status == "409" and method != "post":
                    continue
                if status == "429":
                    headers = {
                        "Retry-After": {"schema": {"type": "integer"}, "description": "다시 시도할 때까지 초"}
                    }
                else:
                    headers = None
                entry = {"description": description, "content": {"application/json": {"schema": reference}}}
                if headers:
                    entry["headers"] = headers
                responses.setdefault(status, entry)
    return result
