"""The floor of the partner API's speed: a bare WSGI callable that runs the same SQL as the API (key lookup,
count, page of rows, certification codes; one organization with its active product count) with psycopg2
and encodes the rows as JSON — no Django, no DRF, no middleware.

``make bench`` serves it under ``/raw/`` from the same gunicorn as the portal (``benchmarks/bench_wsgi.py``),
so both answer with the same workers, threads and database. Not part of the portal.
"""

import hashlib
import hmac
import json
import os
import threading
from urllib.parse import parse_qs, urlsplit

import orjson
import psycopg2

KIND_LABELS = {"goods": "제품", "service": "서비스"}
_local = threading.local()

ORGANIZATION_COLUMNS = [
    "id", "name", "org_type", "sector", "status", "closed_on", "dong_id", "address", "phone", "email",
    "website", "description", "business_registration_number", "corporate_registration_number", "founded_on",
    "employees_count", "vulnerable_employees_count", "members_count", "certification_number", "certified_on",
    "certification_expires_on", "designating_body", "social_purpose_type", "preliminary_kind",
    "cooperative_filing_number", "cooperative_filed_on", "cooperative_authority", "created_at", "updated_at",
]  # fmt: skip


def _cursor():
    # One connection per thread, as Django keeps them (gunicorn's gthread workers run several threads).
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        parts = urlsplit(os.environ["DATABASE_URL"])
        connection = _local.connection = psycopg2.connect(
            host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password,
            dbname=parts.path.lstrip("/"),
        )  # fmt: skip
        connection.autocommit = True
    return connection.cursor()


def _authorized(cursor, environ):
    header = environ.get("HTTP_AUTHORIZATION", "")
    if not header.startswith("Api-Key "):
        return False
    key = header.split(" ", 1)[1]
    cursor.execute(
        "SELECT k.hashed_key FROM partners_partnerapikey k JOIN partners_partnercenter p ON p.id = k.partner_id "
        "WHERE k.prefix = %s AND NOT k.revoked AND p.is_active",
        [key.partition(".")[0]],
    )
    row = cursor.fetchone()
    expected = "sha512$$" + hashlib.sha512(key.encode()).hexdigest()
    return row is not None and hmac.compare_digest(row[0], expected)


def _products(cursor, query):
    page_size = min(int(query.get("page_size", ["50"])[0]), 500)
    page = int(query.get("page", ["1"])[0])
    cursor.execute("SELECT COUNT(*) FROM social_economy_product")
    count = cursor.fetchone()[0]
    cursor.execute(
        "SELECT p.id, p.name, p.organization_id, o.name, p.kind, p.category, p.description, p.price, p.unit, "
        "p.is_public_procurement, p.image, p.is_active, p.created_at, p.updated_at "
        "FROM social_economy_product p JOIN social_economy_organization o ON o.id = p.organization_id "
        "ORDER BY p.name, p.id LIMIT %s OFFSET %s",
        [page_size, (page - 1) * page_size],
    )
    rows = cursor.fetchall()
    cursor.execute(
        "SELECT pc.product_id, c.code FROM social_economy_product_certifications pc "
        "JOIN social_economy_productcertification c ON c.id = pc.productcertification_id "
        "WHERE pc.product_id = ANY(%s)",
        [[row[0] for row in rows]],
    )
    codes = {}
    for product_id, code in cursor.fetchall():
        codes.setdefault(product_id, []).append(code)
    results = [
        {
            "id": r[0], "name": r[1], "organization": r[2], "organization_name": r[3], "kind": r[4],
            "kind_label": KIND_LABELS.get(r[4], r[4]), "category": r[5], "category_label": r[5],
            "description": r[6], "price": r[7], "unit": r[8], "public_procurement": r[9],
            "certifications": sorted(codes.get(r[0], [])), "image": r[10] or None, "is_active": r[11],
            "created_at": r[12].isoformat(), "updated_at": r[13].isoformat(),
        }
        for r in rows
    ]  # fmt: skip
    return {"count": count, "next": None, "previous": None, "results": results}


def _organization(cursor, pk):
    columns = ", ".join(f"o.{c}" for c in ORGANIZATION_COLUMNS)
    cursor.execute(
        f"SELECT {columns}, d.name, (SELECT COUNT(*) FROM social_economy_product p "
        "WHERE p.organization_id = o.id AND p.is_active) FROM social_economy_organization o "
        "LEFT JOIN common_dong d ON d.id = o.dong_id WHERE o.id = %s",
        [pk],
    )
    row = cursor.fetchone()
    if row is None:
        return None
    body = dict(zip([*ORGANIZATION_COLUMNS, "dong_name", "product_count"], row, strict=True))
    return body


FLOOR_COLUMNS = [
    "id", "name", "organization_id", "kind", "category", "description", "price", "unit", "is_public_procurement",
    "image", "is_active", "created_at", "updated_at",
]  # fmt: skip


def _floor(start_response):
    """The bare floor of a product page: a COUNT and one SELECT of 100 rows, encoded with orjson; no key,
    no names, no certifications."""
    with _cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM social_economy_product")
        count = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT {', '.join(FLOOR_COLUMNS)} FROM social_economy_product ORDER BY name, id LIMIT 100"
        )
        results = [dict(zip(FLOOR_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    payload = orjson.dumps({"count": count, "results": results}, default=str)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]


def application(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/floor/products/":
        return _floor(start_response)
    query = parse_qs(environ.get("QUERY_STRING", ""))
    with _cursor() as cursor:
        if path == "/":
            status, body = "200 OK", {"ok": True}
        elif not _authorized(cursor, environ):
            status, body = "401 Unauthorized", {"code": "not_authenticated"}
        elif path == "/api/v1/products/":
            status, body = "200 OK", _products(cursor, query)
        elif path.startswith("/api/v1/organizations/"):
            found = _organization(cursor, int(path.rstrip("/").rsplit("/", 1)[1]))
            status, body = ("200 OK", found) if found else ("404 Not Found", {"code": "not_found"})
        else:
            status, body = "404 Not Found", {"code": "not_found"}
    payload = json.dumps(body, ensure_ascii=False, default=str).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]
