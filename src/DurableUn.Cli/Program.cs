using DurableUn.Cli;

// Decode on one libtorch thread unless told otherwise (NativeTorch.DecodeThreadsVariable says why).
if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(DurableUn.Tensors.NativeTorch.DecodeThreadsVariable)))
    Environment.SetEnvironmentVariable(DurableUn.Tensors.NativeTorch.DecodeThreadsVariable, "1");

return CliErrors.Run(args, () => CommandTree.Create().Run(args));
