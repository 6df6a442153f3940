"""The GraphQL gateway: one Strawberry schema over the services' gRPC APIs and the NATS event stream."""
