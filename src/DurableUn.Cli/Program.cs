System.Console.WriteLine(DurableUn.Tensors.NativeTorch.EnsureLoaded());
