export function DemoBanner({ outbox }: { outbox: boolean }) {
  return (
    <div role="note" className="bg-amber-300 px-4 py-2 text-center text-sm font-medium text-amber-950">
      Demo mode: secrets were generated under <code>data/</code>
      {outbox ? (
        <>
          {" "}and codes are not sent — they go to the <a className="underline" href="/dev/outbox">outbox</a>
        </>
      ) : null}
      . Do not use this instance for real accounts.
    </div>
  );
}
