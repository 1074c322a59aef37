namespace FanOut.Generators
{
    /// <summary>Names of the generator's pipeline steps, so tests can assert each one is cached after an unrelated edit.</summary>
    internal static class TrackingNames
    {
        public const string Events = nameof(Events);
        public const string AllEvents = nameof(AllEvents);
        public const string Functions = nameof(Functions);
        public const string AllFunctions = nameof(AllFunctions);
        public const string Assembly = nameof(Assembly);
        public const string StepResults = nameof(StepResults);
        public const string AllStepResults = nameof(AllStepResults);
        public const string Declarations = nameof(Declarations);
        public const string Sources = nameof(Sources);
        public const string Inputs = nameof(Inputs);
        public const string Module = nameof(Module);
        public const string FunctionRefs = nameof(FunctionRefs);
    }
}
