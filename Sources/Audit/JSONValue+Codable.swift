import Foundation
import PartnerCore

extension JSONValue {
    /// A Codable value as JSON, in the shape `JSONEncoder` would give it (payloads use no dates).
    public init<Value: Encodable>(encoding value: Value) throws(AuditError) {
        do {
            self = try JSONValueEncoder.encode(value)
        } catch {
            throw AuditError(.invalidArgument, "cannot encode \(Value.self) as JSON: \(error)")
        }
    }

    /// Parses JSON text.
    public init(parsing text: String) throws(AuditError) {
        do {
            self = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw AuditError(.invalidArgument, "not valid JSON: \(error)")
        }
    }

    /// Decodes this JSON as `Value`.
    public func decode<Value: Decodable>(_ type: Value.Type) throws(AuditError) -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: Data(canonicalText.utf8))
        } catch {
            throw AuditError(.invalidArgument, "JSON does not match \(Value.self): \(error)")
        }
    }
}

extension AuditEvent {
    /// The payload decoded as `Payload`, when the event is of that kind and its shape fits.
    public func decodedPayload<Payload: AuditPayload>(as type: Payload.Type) -> Payload? {
        guard kind == Payload.kind else { return nil }
        return try? payload.decode(Payload.self)
    }
}
