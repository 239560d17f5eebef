namespace DurableUn.Reporting; internal static class Placeholder { }
