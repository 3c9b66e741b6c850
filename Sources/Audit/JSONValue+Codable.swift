import Foundation
import PartnerCore

extension JSONValue {
    /// A Codable value as JSON (through Foundation's encoder; dates are not used in payloads).
    public init<Value: Encodable>(encoding value: Value) throws(AuditError) {
        do {
            let data = try JSONEncoder().encode(value)
            self = try JSONDecoder().decode(JSONValue.self, from: data)
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
