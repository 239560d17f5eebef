using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace DurableUn.Tests.Tensors;

/// <summary>
/// Finds methods of an assembly that hand TorchSharp a Scalar only a finalizer owns. A method is unsafe when it
/// calls <c>Scalar.op_Implicit</c> or <c>ToScalar</c> without ever calling <c>Scalar.Dispose</c>: the Scalar becomes
/// garbage the moment its handle is read, while libtorch may still be reading it. TorchSharp's own number overloads
/// (<c>Tensor * double</c>, <c>clamp_min(double)</c> …) are unsafe in this sense, so calling one counts as unsafe too;
/// that is followed through TorchSharp's own calls to a fixed point. IL is decoded with the runtime's opcode table,
/// not guessed from bytes.
/// </summary>
internal static class ScalarLifetimeScanner
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static readonly Lazy<HashSet<MethodBase>> UnsafeTorchSharp = new(FindUnsafeInTorchSharp);

    /// <summary>"Type.Method → callee" for every unsafe call in <paramref name="assembly"/>.</summary>
    public static List<string> UnsafeCallsIn(Assembly assembly)
    {
        var found = new List<string>();
        foreach (var method in MethodsOf(assembly))
        {
            // A static constructor's Scalars go into static fields: reachable, so never finalized, for the process's life.
            if (method is ConstructorInfo { IsStatic: true }) continue;
            var callees = Callees(method).ToList();
            var disposes = callees.Any(IsScalarDispose);
            var bad = callees.FirstOrDefault(c => (IsScalarCreation(c) && !disposes) || UnsafeTorchSharp.Value.Contains(c));
            if (bad is not null)
                found.Add($"{method.DeclaringType?.FullName}.{method.Name} → {bad.DeclaringType?.Name}.{bad.Name}({string.Join(", ", bad.GetParameters().Select(p => p.ParameterType.Name))})");
        }
        return found;
    }

    private static HashSet<MethodBase> FindUnsafeInTorchSharp()
    {
        var methods = MethodsOf(typeof(Scalar).Assembly).ToList();
        var calls = methods.ToDictionary(m => m, m => Callees(m).ToList());
        var unsafeSet = methods
            .Where(m => calls[m].Any(IsScalarCreation) && !calls[m].Any(IsScalarDispose))
            .ToHashSet();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var m in methods)
                if (!unsafeSet.Contains(m) && !calls[m].Any(IsScalarDispose) && calls[m].Any(unsafeSet.Contains))
                    changed = unsafeSet.Add(m) | changed;
        }
        return unsafeSet;
    }

    private static bool IsScalarCreation(MethodBase m) =>
        (m.DeclaringType == typeof(Scalar) && m.Name == "op_Implicit") ||
        (m.DeclaringType?.Name == "ScalarExtensionMethods" && m.Name.StartsWith("To") && m.Name.EndsWith("Scalar"));

    // `using var s = …` on a Scalar calls IDisposable.Dispose; a method that creates Scalars and disposes is taken as safe.
    private static bool IsScalarDispose(MethodBase m) =>
        m.Name == "Dispose" && (m.DeclaringType == typeof(Scalar) || m.DeclaringType == typeof(IDisposable));

    private static IEnumerable<MethodBase> MethodsOf(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance |
                                 BindingFlags.Static | BindingFlags.DeclaredOnly;
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.Where(t => t is not null).ToArray()!; }
        foreach (var type in types)
        {
            foreach (var m in type.GetMethods(all)) yield return m;
            foreach (var c in type.GetConstructors(all)) yield return c;
        }
    }

    /// <summary>Methods called (call, callvirt, newobj, ldftn) by <paramref name="method"/>'s IL.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { yield break; }
        if (il is null) yield break;
        for (var i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE && i + 1 < il.Length ? (short)(0xFE00 | il[i + 1]) : il[i];
            var op = OpCodesByValue[value];
            i += op.Size;
            if (op.OperandType == OperandType.InlineMethod)
            {
                MethodBase? callee = null;
                try { callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, i), GenericArgs(method.DeclaringType), GenericArgs(method)); }
                catch (Exception) { }
                if (callee is not null) yield return callee;
            }
            i += OperandSize(op, il, i);
        }
    }

    private static Type[]? GenericArgs(Type? t) => t is { IsGenericType: true } ? t.GetGenericArguments() : null;
    private static Type[]? GenericArgs(MethodBase m) => m is MethodInfo { IsGenericMethod: true } ? m.GetGenericArguments() : null;

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
