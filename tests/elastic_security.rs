//! The generated elastic-security client against a wiremock server on 127.0.0.1.
