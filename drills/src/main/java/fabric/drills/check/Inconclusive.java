package fabric.drills.check;

/** A key a checker could not decide, and why (search limit, no final read...). */
public record Inconclusive(String checker, String key, String reason) {}
