//! The generated stellar-cyber client against Prism serving specs/stellar-cyber/openapi.yaml.
