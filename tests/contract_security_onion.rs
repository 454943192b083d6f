//! The generated security-onion client against Prism serving specs/security-onion/openapi.yaml.
