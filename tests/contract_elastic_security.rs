//! The generated elastic-security client against Prism serving specs/elastic-security/openapi.yaml.
