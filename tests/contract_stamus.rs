//! The generated stamus client against Prism serving specs/stamus/openapi.yaml.
