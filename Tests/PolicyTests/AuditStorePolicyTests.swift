import PartnerCore
import Policy
import Testing

@Suite("[audit] store")
struct AuditStorePolicyTests {
    @Test("store names a postgres:// URL; anything else is an error at its line")
    func url() throws {
        let policy = try PolicySectionTests.policy("[audit]\nstore = \"postgres://laptop@audit.example.com/partner\"\n")
        #expect(policy.auditStore == "postgres://laptop@audit.example.com/partner")
        #expect(policy.explanation().contains { $0.key == "audit.store" && $0.value.contains("postgres://laptop@") })
        #expect(try PolicySectionTests.policy("").auditStore == nil)
        #expect { try PolicySectionTests.policy("[audit]\nstore = \"mysql://db/partner\"\n") } throws: { error in
            let error = error as? PolicyError
            return error?.code == .invalidValue && error?.position?.line == 3 && error?.message.contains("postgres://") == true
        }
    }

    @Test("a store the organisation locks cannot be changed by a later layer, only restated")
    func locked() throws {
        let organisation = try PolicySectionTests.policy(
            "locked = [\"audit.store\"]\n[audit]\nstore = \"postgres://fleet@audit/partner\"\n")
        #expect(throws: PolicyError.self) {
            try PolicyLoader.layer(text: "version = 1\n[audit]\nstore = \"postgres://me@elsewhere/partner\"\n",
                                   file: "project.toml", over: organisation)
        }
        let restated = try PolicyLoader.layer(text: "version = 1\n[audit]\nstore = \"postgres://fleet@audit/partner\"\n",
                                              file: "project.toml", over: organisation)
        #expect(restated.auditStore == "postgres://fleet@audit/partner")
        let unlocked = try PolicyLoader.layer(text: "version = 1\n[audit]\nstore = \"postgres://me@elsewhere/partner\"\n",
                                              file: "project.toml", over: try PolicySectionTests.policy(""))
        #expect(unlocked.auditStore == "postgres://me@elsewhere/partner")
    }
}
