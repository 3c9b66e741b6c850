/// Partner's own version, reported by `partner --version` and recorded in every audit session.
public enum PartnerVersion {
    public static let current = "0.1.0"
}
