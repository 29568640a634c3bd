from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PartnerKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents ``Authorization: Api-Key <key>`` in the OpenAPI schema."""

    target_class = "jeonju_center.partners.authentication.PartnerKeyAuthentication"
    name = "PartnerApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "협력기관 API 키. 형식: `Api-Key <키>`",
        }
