/** The package's entry points (entry-points.json): subpath export → source file. */
export declare const entryPoints: Readonly<Record<string, string>>;
