//! [`operation_request!`](crate::operation_request), the generic request type of a generated
//! crate's operations that take optional parameters.
//!
//! The type must live in the generated crate (each operation adds its setters in an inherent
//! `impl` of its alias, which Rust allows only on the crate's own types), but its code never
//! varies: the generated crate expands it from here with one line instead of carrying it.

/// Defines `OperationRequest<P, R>` in the invoking module: the request `R` of the operation
/// marked by `P`, with everything `R` offers forwarded (OData options, headers, `send`, paging,
/// `IntoFuture`). Generated crates invoke it once, in their `client` module.
#[macro_export]
macro_rules! operation_request {
    () => {
        /// The request of an operation that takes optional parameters: each such operation has
        /// an alias of this type (`P` marks the operation, `R` is the request underneath) with
        /// its setters. Set them, then `.await` it, or `send()` it for the status and headers.
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct OperationRequest<P, R> {
            request: R,
            params: ::std::marker::PhantomData<fn() -> P>,
        }

        impl<P, R: ::std::fmt::Debug> ::std::fmt::Debug for OperationRequest<P, R> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.request.fmt(f)
            }
        }

        impl<P, R> OperationRequest<P, R> {
            pub(crate) fn new(request: R) -> Self {
                Self {
                    request,
                    params: ::std::marker::PhantomData,
                }
            }

            /// The underlying request, for everything else the runtime offers.
            pub fn into_request(self) -> R {
                self.request
            }
        }

        impl<P, T, Q> OperationRequest<P, $crate::Request<T, Q>> {
            /// Sets a request header.
            pub fn header(self, name: &str, value: &str) -> Self {
                Self::new(self.request.header(name, value))
            }

            /// Sends the request; the response keeps its status and headers.
            pub async fn send(self) -> $crate::Result<$crate::Response<T>> {
                self.request.send().await
            }
        }

        // On the concrete option markers, not on the traits: an operation without the options
        // can have setters of those names (a query parameter `filter`), and coherence would
        // count `NoOptions` as a type the runtime may one day give the option traits.
        impl<P, T> OperationRequest<P, $crate::Request<T, $crate::query::ItemOptions>> {
            $crate::__operation_request_options!(select expand);
        }

        impl<P, T> OperationRequest<P, $crate::Request<T, $crate::query::CollectionOptions>> {
            $crate::__operation_request_options!(select expand filter orderby search counts);
        }

        impl<P, T: ::std::marker::Send + 'static, Q> ::std::future::IntoFuture
            for OperationRequest<P, $crate::Request<T, Q>>
        {
            type Output = $crate::Result<T>;
            type IntoFuture = <$crate::Request<T, Q> as ::std::future::IntoFuture>::IntoFuture;
            fn into_future(self) -> Self::IntoFuture {
                ::std::future::IntoFuture::into_future(self.request)
            }
        }

        impl<P, T> OperationRequest<P, $crate::PagedRequest<T>>
        where
            T: $crate::json::FromJson + ::std::marker::Send + 'static,
        {
            /// Sets a request header.
            pub fn header(self, name: &str, value: &str) -> Self {
                Self::new(self.request.header(name, value))
            }

            $crate::__operation_request_options!(select expand filter orderby search counts);

            /// Sends the request for the first page; the response keeps its status and headers.
            pub async fn send(self) -> $crate::Result<$crate::Response<$crate::Page<T>>> {
                self.request.send().await
            }

            /// Every page, following `@odata.nextLink` to the end.
            pub fn pages(
                self,
            ) -> impl $crate::Stream<Item = $crate::Result<$crate::Page<T>>>
            + ::std::marker::Send
            + 'static {
                self.request.pages()
            }

            /// Every item of every page, following `@odata.nextLink` to the end.
            pub fn items(
                self,
            ) -> impl $crate::Stream<Item = $crate::Result<T>> + ::std::marker::Send + 'static
            {
                self.request.items()
            }

            /// Every item of every page, collected.
            pub async fn collect_all(self) -> $crate::Result<::std::vec::Vec<T>> {
                self.request.collect_all().await
            }

            /// A delta query to its end: the items and the `@odata.deltaLink` to resume from
            /// (see [`PagedRequest::collect_delta`]($crate::PagedRequest::collect_delta)).
            pub async fn collect_delta(self) -> $crate::Result<$crate::Delta<T>> {
                self.request.collect_delta().await
            }
        }

        impl<P, T> ::std::future::IntoFuture for OperationRequest<P, $crate::PagedRequest<T>>
        where
            T: $crate::json::FromJson + ::std::marker::Send + 'static,
        {
            type Output = $crate::Result<$crate::Page<T>>;
            type IntoFuture = <$crate::PagedRequest<T> as ::std::future::IntoFuture>::IntoFuture;
            fn into_future(self) -> Self::IntoFuture {
                ::std::future::IntoFuture::into_future(self.request)
            }
        }
    };
}

/// The OData option setters of [`operation_request!`](crate::operation_request), by name.
#[doc(hidden)]
#[macro_export]
macro_rules! __operation_request_options {
    ($($option:ident)*) => {
        $($crate::__operation_request_options!(@one $option);)*
    };
    (@one select) => {
        /// `$select`: the properties to return.
        pub fn select<I>(self, items: I) -> Self
        where
            I: ::std::iter::IntoIterator,
            I::Item: ::std::convert::AsRef<str>,
        {
            Self::new(self.request.select(items))
        }
    };
    (@one expand) => {
        /// `$expand`: the related entities to include.
        pub fn expand<I>(self, items: I) -> Self
        where
            I: ::std::iter::IntoIterator,
            I::Item: ::std::convert::AsRef<str>,
        {
            Self::new(self.request.expand(items))
        }
    };
    (@one orderby) => {
        /// `$orderby`: sort keys (`name desc`).
        pub fn orderby<I>(self, items: I) -> Self
        where
            I: ::std::iter::IntoIterator,
            I::Item: ::std::convert::AsRef<str>,
        {
            Self::new(self.request.orderby(items))
        }
    };
    (@one filter) => {
        /// `$filter`: an OData filter expression.
        pub fn filter(self, value: impl ::std::convert::AsRef<str>) -> Self {
            Self::new(self.request.filter(value))
        }
    };
    (@one search) => {
        /// `$search`: a search expression (quotes included).
        pub fn search(self, value: impl ::std::convert::AsRef<str>) -> Self {
            Self::new(self.request.search(value))
        }
    };
    (@one counts) => {
        /// `$top`: at most this many items.
        pub fn top(self, n: u32) -> Self {
            Self::new(self.request.top(n))
        }

        /// `$skip`: skip this many items.
        pub fn skip(self, n: u32) -> Self {
            Self::new(self.request.skip(n))
        }

        /// `$count`: include the total count.
        pub fn count(self, count: bool) -> Self {
            Self::new(self.request.count(count))
        }
    };
}
