// A libFuzzer target over the shell parser, the judge, the TOML parser and the policy
// loader. Built by scripts/fuzz-policy (swiftc -sanitize=fuzzer,address), not by SwiftPM.
//
// The first input byte picks what to fuzz; the rest is the text. The properties checked:
// nothing crashes, and shell text that does not parse is never allowed.

let shippedDefault = try! PolicyLoader.load(PolicyLoader.Options(policy: "default", organisationPolicy: nil))
let shippedUntrusted = try! PolicyLoader.load(PolicyLoader.Options(policy: "untrusted", organisationPolicy: nil))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    switch bytes[0] % 4 {
    case 0, 1:
        let policy = bytes[0] % 4 == 0 ? shippedDefault : shippedUntrusted
        let decision = policy.decision(forShell: text)
        if (try? ShellParser.parse(text)) == nil, decision.decision == .allow {
            fatalError("unparseable shell text was allowed: \(text.debugDescription)")
        }
    case 2:
        _ = try? TOML.parse(text, file: "fuzz.toml")
    default:
        if let policy = try? PolicyLoader.policy(text: text, file: "fuzz.toml") {
            _ = policy.decision(forShell: "git push --force origin main")
            _ = policy.explanation()
        }
    }
    return 0
}
