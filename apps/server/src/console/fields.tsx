// Labelled form fields the console's views share: a text or number input, and a select.

export function Field(props: {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly type?: 'text' | 'number';
  readonly required?: boolean;
  readonly attributes?: Record<string, string>;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        required={props.required}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        // Preact's types tie `list` to text inputs: plain attributes avoid that union.
        {...({ type: props.type ?? 'text', ...props.attributes } as Record<string, string>)}
      />
    </div>
  );
}

/**
 * A labelled select of `options`, with `empty` (value '') first when given. The chosen option is
 * marked `selected` itself rather than through the select's value: a value set before options
 * that load later would be lost.
 */
export function SelectField(props: {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly options: readonly string[];
  readonly onChange: (value: string) => void;
  readonly empty?: string;
  readonly required?: boolean;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        required={props.required}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      >
        {props.empty === undefined ? null : (
          <option value="" selected={props.value === ''}>
            {props.empty}
          </option>
        )}
        {props.options.map((name) => (
          <option key={name} selected={name === props.value}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}
