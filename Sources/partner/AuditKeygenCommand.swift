import ArgumentParser
import Audit
import Foundation

/// `partner audit keygen`: creates the team's Ed25519 key for signing session heads.
struct AuditKeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create an Ed25519 key that signs each session's head hash.",
        discussion: """
            Writes the private key (mode 0600) and PATH.pub. Writers sign with the key named by \
            --signing-key, else PARTNER_AUDIT_SIGNING_KEY, else the default path when it exists; \
            `partner audit verify` trusts --public-key, else PARTNER_AUDIT_PUBLIC_KEY, else the default \
            PATH.pub. Share only the .pub file with whoever verifies.
            """)

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
        "Where to write the private key (default: $XDG_CONFIG_HOME/partner/audit-signing.key).", valueName: "path"))
    var output: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    struct Result: Encodable {
        let privateKey: String
        let publicKey: String
        let keyID: String
    }

    func run() throws {
        let path = output ?? AuditSigningKey.defaultPath(environment: ProcessInfo.processInfo.environment)
        let key = AuditSigningKey.generate()
        try AuditCLI.run { () throws(AuditError) in try key.write(to: path) }
        if json {
            try Terminal.printJSON(Result(privateKey: path, publicKey: path + ".pub", keyID: key.publicKey.id))
        } else {
            print("private key: \(path) (keep it secret; mode 0600)")
            print("public key:  \(path).pub (give it to whoever runs `partner audit verify`)")
            print("key id:      \(key.publicKey.id)")
        }
    }
}
